using BenchmarkDotNet.Running;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// Runs the benchmarks, from the repository root:
/// <code>dotnet run -c Release --project tests/Buildroot.Download.Tasks.Benchmarks -- --filter '*Archive*'</code>
/// (BenchmarkDotNet's switches go after <c>--</c>; without a filter it asks which to run).
/// Every benchmark uses <see cref="ShortInProcessConfig"/>: a run takes a couple of minutes.
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ShortInProcessConfig.Create());
}
