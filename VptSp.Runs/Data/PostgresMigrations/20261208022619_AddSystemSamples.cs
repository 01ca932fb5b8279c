using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace VptSp.Runs.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class AddSystemSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SystemSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    AtMs = table.Column<long>(type: "bigint", nullable: false),
                    Step = table.Column<int>(type: "integer", nullable: false),
                    CpuPercent = table.Column<double>(type: "double precision", nullable: false),
                    RssBytes = table.Column<long>(type: "bigint", nullable: false),
                    GpuDevice = table.Column<int>(type: "integer", nullable: true),
                    GpuUtilizationPercent = table.Column<double>(type: "double precision", nullable: true),
                    GpuMemoryUsedBytes = table.Column<long>(type: "bigint", nullable: true),
                    GpuMemoryTotalBytes = table.Column<long>(type: "bigint", nullable: true),
                    GpuPowerWatts = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SystemSamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SystemSamples_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SystemSamples_RunId_AtMs",
                table: "SystemSamples",
                columns: new[] { "RunId", "AtMs" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SystemSamples");
        }
    }
}
