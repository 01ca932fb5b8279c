using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace VptSp.Web.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ExperimentDbContext>
{
    public ExperimentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ExperimentDbContext>().UseSqlite("Data Source=design.db").Options);
}
