using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VptSp.Runs.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddRunSummary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BestMetricsJson",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "LastLoss",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "LastRecallAt1",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "MeanImagesPerSecond",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StepsRecorded",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
            // backfill the summary of existing runs from their epoch and step rows (what RunSummaries keeps current from now on)
            migrationBuilder.Sql("""
                UPDATE "Runs" SET
                    "BestMetricsJson" = (SELECT e."MetricsJson" FROM "EpochMetrics" e WHERE e."RunId" = "Runs"."Id" AND e."Epoch" = "Runs"."BestEpoch"),
                    "LastLoss" = (SELECT e."Loss" FROM "EpochMetrics" e WHERE e."RunId" = "Runs"."Id" ORDER BY e."Epoch" DESC LIMIT 1),
                    "LastRecallAt1" = (SELECT json_extract(e."MetricsJson", '$."recall@1"') FROM "EpochMetrics" e WHERE e."RunId" = "Runs"."Id" ORDER BY e."Epoch" DESC LIMIT 1),
                    "StepsRecorded" = (SELECT COUNT(*) FROM "StepSamples" s WHERE s."RunId" = "Runs"."Id"),
                    "MeanImagesPerSecond" = (SELECT AVG(s."ImagesPerSecond") FROM "StepSamples" s WHERE s."RunId" = "Runs"."Id" AND s."ImagesPerSecond" > 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BestMetricsJson",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "LastLoss",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "LastRecallAt1",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "MeanImagesPerSecond",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "StepsRecorded",
                table: "Runs");
        }
    }
}
