using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace VptSp.Runs.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddRunListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Runs_Archived_Id",
                table: "Runs",
                columns: new[] { "Archived", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Dataset_Id",
                table: "Runs",
                columns: new[] { "Dataset", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Method_Id",
                table: "Runs",
                columns: new[] { "Method", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_Archived_Id",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_Dataset_Id",
                table: "Runs");

            migrationBuilder.DropIndex(
                name: "IX_Runs_Method_Id",
                table: "Runs");
        }
    }
}
