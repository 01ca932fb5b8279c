using VptSp.Benchmarks;

return BenchmarkRunner.Run(args);
