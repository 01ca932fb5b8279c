using Microsoft.EntityFrameworkCore;

namespace VptSp.Runs.Data;

/// <summary>The experiment history on PostgreSQL: the same model as <see cref="ExperimentDbContext"/>, its own migrations.</summary>
public sealed class PostgresExperimentDbContext(DbContextOptions<PostgresExperimentDbContext> options) : ExperimentDbContext(options);
