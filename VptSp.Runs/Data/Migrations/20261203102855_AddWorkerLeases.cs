using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VptSp.Runs.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddWorkerLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AutoResume",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "CancelRequested",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Executions",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LeaseExpiresAtMs",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedDevice",
                table: "Runs",
                type: "TEXT",
                maxLength: 8,
                nullable: false,
                defaultValue: "auto");

            migrationBuilder.AddColumn<string>(
                name: "WorkerDevice",
                table: "Runs",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WorkerName",
                table: "Runs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AutoResume",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "CancelRequested",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Executions",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAtMs",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "RequestedDevice",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "WorkerDevice",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "WorkerName",
                table: "Runs");
        }
    }
}
