using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// What a dead server costs a build with the DEFAULT limits (30 s stall, one hour in all), measured
/// end to end: the figures of the README. Minutes each, so opt-in:
/// <code>BRDL_MEASURE_DEFAULT_LIMITS=1 dotnet test tests/Buildroot.Download.Tasks.EndToEnd.Tests -c Release --filter "FullyQualifiedName~DefaultLimitMeasurements" --logger "console;verbosity=detailed"</code>
/// Each figure is the time of the failing build less that of the same build against a server
/// that answers 404 at once (the cost of starting a build), and is printed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DefaultLimitMeasurements(PackedPackage package, ITestOutputHelper output)
{
    private const string OptIn = "BRDL_MEASURE_DEFAULT_LIMITS";

    /// <summary>What the README promises for one URI: three stall limits, retries and waits included.</summary>
    private static readonly TimeSpan PromisedPerUri = TimeSpan.FromSeconds(90);

    [OptInFact(OptIn)]
    public async Task A_server_that_accepts_and_never_answers()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/zlib-1.3.1.tar.gz", Payloads.Bytes("zlib"));
        server.Misbehave("/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.NeverAnswer, times: 100);

        TimeSpan cost = await CostAsync("stalled", $"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" />""", "did not answer within");

        cost.ShouldBeLessThanOrEqualTo(PromisedPerUri + TimeSpan.FromSeconds(5));
    }

    [OptInFact(OptIn)]
    public async Task A_server_trickling_one_byte_a_second()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/zlib-1.3.1.tar.gz", Payloads.Bytes("zlib"));
        server.Misbehave("/zlib-1.3.1.tar.gz", LoopbackHttpServer.Fault.OneBytePerSecond, times: 100);

        TimeSpan cost = await CostAsync("trickle", $"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{server.BaseUri}" />""", "the server sent ");

        cost.ShouldBeLessThanOrEqualTo(PromisedPerUri + TimeSpan.FromSeconds(5));
    }

    [OptInFact(OptIn)]
    public async Task A_dead_git_server()
    {
        using var server = new SilentTcpServer();

        TimeSpan cost = await CostAsync("dead-git", $"""<BuildrootPackage Include="foo" Version="1.0" Site="{server.Uri("git")}/foo.git" SiteMethod="git" />""", "made no progress for 30 s");

        cost.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(30 + 10));
    }

    /// <summary>
    /// How much longer than a build whose site fails at once the build with <paramref name="items"/>
    /// takes to fail, saying <paramref name="reason"/> of its site.
    /// </summary>
    private async Task<TimeSpan> CostAsync(string name, string items, string reason)
    {
        using var project = new EndToEndProject(package, output, name);
        using var instant = new LoopbackHttpServer();
        project.WriteProject($"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{instant.BaseUri}" />""");
        (await project.BuildAsync()).ShouldFailWith("BRDL0101"); // restores
        BuildResult baseline = await project.BuildAsync("--no-restore");
        baseline.ShouldFailWith("BRDL0101");

        project.WriteProject(items);
        BuildResult faulty = await project.BuildAsync("--no-restore");
        TimeSpan cost = faulty.Elapsed - baseline.Elapsed;
        output.WriteLine($"MEASURED {name}: the build took {faulty.Elapsed.TotalSeconds:0.0} s, {cost.TotalSeconds:0.0} s more than one whose site fails at once ({baseline.Elapsed.TotalSeconds:0.0} s).");

        faulty.ShouldFailWith("BRDL0101").ShouldPrint(reason);
        return cost;
    }
}
