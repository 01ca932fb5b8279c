using Microsoft.EntityFrameworkCore;
using VptSp.Core.Training;
using VptSp.Web.Data.Entities;

namespace VptSp.Web.Data;

/// <summary>The experiment history: runs, step samples, epoch metrics, artefacts and sweeps.</summary>
public sealed class ExperimentDbContext(DbContextOptions<ExperimentDbContext> options) : DbContext(options)
{
    public DbSet<RunEntity> Runs => Set<RunEntity>();
    public DbSet<StepSampleEntity> Steps => Set<StepSampleEntity>();
    public DbSet<EpochMetricEntity> Epochs => Set<EpochMetricEntity>();
    public DbSet<ArtefactEntity> Artefacts => Set<ArtefactEntity>();
    public DbSet<SweepEntity> Sweeps => Set<SweepEntity>();

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
            e.HasIndex(r => r.SweepId);
        });
    }
}
