using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// One message per problem, at the place at fault: a package no site delivers ends in one error,
/// on one line, that names every site tried and why (as a person would say it) and what fetched
/// from it; errors and warnings point at the manifest, hash file or project line at fault, as the
/// binary log records them (what IDEs and CI annotations read).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MessageTests(PackedPackage package, ITestOutputHelper output)
{
    private const string Unresolvable = "nowhere.invalid"; // .invalid never resolves (RFC 2606)

    [Fact]
    public async Task Failed_packages_end_in_one_error_each_on_the_manifest_or_hash_file_line_at_fault()
    {
        using var server = new LoopbackHttpServer(); // also the primary mirror, which has nothing: 404
        byte[] served = Payloads.Bytes("mismatch-1.0");
        server.Serve("/mismatch-1.0.tar.gz", served);
        using var project = new EndToEndProject(package, output, "failed");
        string unreachableManifest = project.WriteFile("package/unreachable/unreachable.mk", $"""
            UNREACHABLE_VERSION = 1.0
            UNREACHABLE_SITE = https://{Unresolvable}/releases
            UNREACHABLE_LICENSE = MIT

            $(eval $(generic-package))

            """);
        project.WriteFile("package/unreachable/unreachable.hash", $"sha256  {new string('1', 64)}  unreachable-1.0.tar.gz\n");
        project.WriteFile("package/mismatch/mismatch.mk", $"""
            MISMATCH_VERSION = 1.0
            MISMATCH_SITE = {server.BaseUri}
            $(eval $(generic-package))

            """);
        string wrongHash = new('7', 64);
        string hashFile = project.WriteFile("package/mismatch/mismatch.hash", $"# from upstream\nsha256  {wrongHash}  mismatch-1.0.tar.gz\n");
        project.WriteProject("""<BuildrootManifest Include="package/*/*.mk" />""");
        string[] arguments = [$"-p:BuildrootPrimarySite={server.BaseUri}/mirror"];

        BuildResult result = await project.BuildAsync(arguments);

        result.ExitCode.ShouldNotBe(0);
        string[] live = LinesBeforeSummary(result);
        string[] errors = live.Where(line => line.Contains(": error BRDL", StringComparison.Ordinal)).ToArray();
        errors.Length.ShouldBe(2, $"one line per failed package:{Environment.NewLine}{result}");

        string unreachable = errors.Where(line => line.Contains("error BRDL0101: unreachable:", StringComparison.Ordinal)).ShouldHaveSingleItem();
        unreachable.ShouldStartWith($"{unreachableManifest}(5): error BRDL0101: unreachable: could not download unreachable-1.0.tar.gz from any of its 3 sites");
        unreachable.ShouldContain($"{server.BaseUri}/mirror/unreachable, {server.BaseUri}/mirror (built-in http client): the server answered 404 Not Found");
        unreachable.ShouldContain($"https://{Unresolvable}/releases (built-in http client): the host {Unresolvable} could not be found (");
        unreachable.ShouldNotContain($"({Unresolvable}:443) (", Case.Sensitive, ".NET's own wording says the host twice");
        unreachable.ShouldNotContain("(wget)", Case.Sensitive, "no wget ran");

        string mismatch = errors.Where(line => line.Contains("error BRDL0202: mismatch:", StringComparison.Ordinal)).ShouldHaveSingleItem();
        mismatch.ShouldStartWith($"{hashFile}(2): error BRDL0202: mismatch:");
        mismatch.ShouldNotContain("the file may have moved", Case.Sensitive, "a mirror's miss is no advice when the package's own site served the wrong bytes");
        live.Count(line => line.Contains(Payloads.Sha256(served), StringComparison.Ordinal)).ShouldBe(1, "the mismatch is said once, on the error's one line");

        IReadOnlyList<LoggedDiagnostic> logged = await project.LoggedDiagnosticsAsync(result);
        logged.ShouldContain(d => d.Code == "BRDL0101" && d.File == unreachableManifest && d.Line == 5, string.Join(Environment.NewLine, logged));
        logged.ShouldContain(d => d.Code == "BRDL0202" && d.File == hashFile && d.Line == 2, string.Join(Environment.NewLine, logged));
        logged.ShouldNotContain(d => d.File.EndsWith(".targets", StringComparison.Ordinal), "nothing points into the package's own targets file");

        // The terminal logger shows the same two errors, once each, under the project.
        using RunningBuild onTerminal = project.StartBuildOnTerminal(arguments);
        BuildResult drawn = await onTerminal.WaitAsync(TimeSpan.FromMinutes(4));
        string[] screenErrors = Terminal.Plain(drawn.Output).Split('\n').Where(line => line.Contains(": error BRDL", StringComparison.Ordinal)).Select(line => line.Trim()).Distinct().ToArray();
        screenErrors.Length.ShouldBe(2, Terminal.Plain(drawn.Output));
        screenErrors.ShouldContain(line => line.StartsWith($"{hashFile}(2): error BRDL0202: mismatch:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warning_about_a_package_item_points_at_its_line_in_the_project()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/nohash-1.0.tar.gz", Payloads.Bytes("nohash-1.0"));
        using var project = new EndToEndProject(package, output, "item-line");
        project.WriteProject($"""
            <BuildrootPackage Include="other" Version="1.0" Site="{server.BaseUri}" Hash="sha256:{Payloads.Sha256(Payloads.Bytes("other-1.0"))}" />
                <BuildrootPackage Include="nohash" Version="1.0" Site="{server.BaseUri}" />
            """);
        server.Serve("/other-1.0.tar.gz", Payloads.Bytes("other-1.0"));
        int itemLine = Array.FindIndex(File.ReadAllLines(project.ProjectFile), line => line.Contains("Include=\"nohash\"", StringComparison.Ordinal)) + 1;

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed().ShouldWarn("BRDL0201");
        result.LinesWith("BRDL0201").First().ShouldStartWith($"{project.ProjectFile}({itemLine}): warning BRDL0201: nohash:");
        IReadOnlyList<LoggedDiagnostic> logged = await project.LoggedDiagnosticsAsync(result);
        LoggedDiagnostic warning = logged.ShouldHaveSingleItem();
        (warning.Code, warning.File, warning.Line).ShouldBe(("BRDL0201", project.ProjectFile, itemLine));
    }

    /// <summary>What the console logger printed as the build went, without the summary it repeats the errors in.</summary>
    private static string[] LinesBeforeSummary(BuildResult result)
    {
        string[] lines = result.Output.Split('\n').Select(line => line.TrimEnd('\r')).ToArray();
        int summary = Array.FindIndex(lines, line => line.StartsWith("Build FAILED.", StringComparison.Ordinal) || line.StartsWith("Build succeeded.", StringComparison.Ordinal));
        return summary < 0 ? lines : lines[..summary];
    }
}
