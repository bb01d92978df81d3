using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// A short job run in this process: the benchmarks here do real I/O and run real tools, where
/// a few iterations say enough, and no second project is generated and built on a busy machine.
/// </summary>
public static class ShortInProcessConfig
{
    public static IConfig Create() =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(4)
                .WithId("Short"))
            .AddDiagnoser(MemoryDiagnoser.Default);
}
