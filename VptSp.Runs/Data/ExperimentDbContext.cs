using Microsoft.EntityFrameworkCore;
using VptSp.Core.Training;
using VptSp.Runs.Data.Entities;

namespace VptSp.Runs.Data;

/// <summary>
/// The experiment history: runs, step samples, epoch metrics, artefacts and sweeps. This type is the SQLite store (its
/// migrations are in Data/Migrations); <see cref="PostgresExperimentDbContext"/> is the same model on PostgreSQL with its own
/// migrations (Data/PostgresMigrations). Everything else asks for an <c>IDbContextFactory&lt;ExperimentDbContext&gt;</c>.
/// </summary>
public class ExperimentDbContext : DbContext
{
    public ExperimentDbContext(DbContextOptions<ExperimentDbContext> options) : base(options) { }

    /// <summary>For the provider-specific subclass (its options type differs).</summary>
    protected ExperimentDbContext(DbContextOptions options) : base(options) { }

    public DbSet<RunEntity> Runs => Set<RunEntity>();
    public DbSet<StepSampleEntity> Steps => Set<StepSampleEntity>();
    public DbSet<EpochMetricEntity> Epochs => Set<EpochMetricEntity>();
    public DbSet<ArtefactEntity> Artefacts => Set<ArtefactEntity>();
    public DbSet<SweepEntity> Sweeps => Set<SweepEntity>();
    public DbSet<SystemSampleEntity> SystemSamples => Set<SystemSampleEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RunEntity>(e =>
        {
            e.ToTable("Runs");
            e.Property(r => r.Name).HasMaxLength(200);
            // the same strings as before the enum existed ("queued", "running", …): no migration
            e.Property(r => r.Status).HasConversion(s => RunStates.Name(s), v => RunStates.Parse(v)).HasMaxLength(16);
            e.Property(r => r.Preset).HasMaxLength(200);
            e.Property(r => r.Dataset).HasMaxLength(64);
            e.Property(r => r.Method).HasMaxLength(32);
            e.Property(r => r.Backbone).HasMaxLength(200);
            e.HasIndex(r => r.Status);
            e.HasIndex(r => r.QueueOrder);
            e.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(r => r.Epochs).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(r => r.Artefacts).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<StepSampleEntity>(e =>
        {
            e.ToTable("StepSamples");
            e.HasIndex(s => new { s.RunId, s.Step });
        });
        modelBuilder.Entity<EpochMetricEntity>(e =>
        {
            e.ToTable("EpochMetrics");
            e.HasIndex(s => new { s.RunId, s.Epoch }).IsUnique();
        });
        modelBuilder.Entity<ArtefactEntity>(e => e.ToTable("Artefacts"));
        modelBuilder.Entity<SystemSampleEntity>(e =>
        {
            e.ToTable("SystemSamples");
            e.HasIndex(s => new { s.RunId, s.AtMs });
            e.HasOne<RunEntity>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<SweepEntity>(e =>
        {
            e.ToTable("Sweeps");
            e.Property(s => s.Name).HasMaxLength(200);
            e.Property(s => s.Mode).HasMaxLength(16);
            e.HasMany(s => s.Runs).WithOne().HasForeignKey(r => r.SweepId).OnDelete(DeleteBehavior.SetNull);
        });
        modelBuilder.Entity<RunEntity>(e =>
        {
            e.Property(r => r.GroupKey).HasMaxLength(400);
            e.Property(r => r.RequestedDevice).HasMaxLength(8).HasDefaultValue("auto");
            e.Property(r => r.WorkerName).HasMaxLength(200);
            e.Property(r => r.WorkerDevice).HasMaxLength(32);
            e.HasIndex(r => r.SweepId);
            // the run list's filters (newest first within each)
            e.HasIndex(r => new { r.Archived, r.Id });
            e.HasIndex(r => new { r.Dataset, r.Id });
            e.HasIndex(r => new { r.Method, r.Id });
        });
    }
}
