using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace VptSp.Runs.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<ExperimentDbContext>
{
    public ExperimentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ExperimentDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef --context PostgresExperimentDbContext</c> build the PostgreSQL context (no server is contacted).</summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresExperimentDbContext>
{
    public PostgresExperimentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresExperimentDbContext>().UseNpgsql("Host=localhost;Database=vptsp_design").Options);
}
