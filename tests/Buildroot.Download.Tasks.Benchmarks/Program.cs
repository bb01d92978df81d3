using BenchmarkDotNet.Running;
using Buildroot.Download.Tasks.Benchmarks.SideBySide;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// Two kinds of benchmark, from the repository root:
/// <code>
/// dotnet run -c Release --project tests/Buildroot.Download.Tasks.Benchmarks -- side-by-side
/// dotnet run -c Release --project tests/Buildroot.Download.Tasks.Benchmarks -- --filter '*Archive*'
/// </code>
/// <c>side-by-side</c> measures the package against Buildroot's own scripts, whole processes
/// interleaved (see <see cref="SideBySideRun"/>): the figures of the README's performance section.
/// The others are BenchmarkDotNet micro-benchmarks of parts, in this process
/// (<see cref="ShortInProcessConfig"/>; BenchmarkDotNet's switches go after <c>--</c>).
/// <c>archive-child</c> and <c>idle-child</c> are what <c>side-by-side</c> runs as child processes.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "side-by-side":
                return SideBySideRun.Run(args[1..]);
            case "archive-child":
                return ArchiveRow.Child(args[1..]);
            case "idle-child":
                return ArchiveRow.IdleChild();
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, ShortInProcessConfig.Create());
                return 0;
        }
    }
}
