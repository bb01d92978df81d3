using System.Diagnostics;
using System.Globalization;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// The package as a user gets it: <c>dotnet pack</c> of the task project, once per test run, into
/// a local feed, with a version of its own (<c>0.0.0-e2e.&lt;UTC time&gt;.&lt;pid&gt;</c>).
/// <para>
/// Every test of the run restores it into one <c>NUGET_PACKAGES</c> folder of this run: the
/// version is unique to the run, so no test can meet a stale extraction, the package is
/// extracted once rather than once per test, and the user's own package cache never sees
/// these throw-away versions.
/// </para>
/// <para>
/// The pack uses its own artifacts folder, so that it never rewrites <c>src/**/bin</c> while
/// the other test projects of the solution run from it.
/// </para>
/// </summary>
public sealed class PackedPackage : IAsyncLifetime
{
    public const string PackageId = "Buildroot.Download.Tasks";

    /// <summary>Set to 1 to keep every test's folder (projects, download folders, binary logs) after the run.</summary>
    public const string KeepVariable = "BRDL_E2E_KEEP";

    private static readonly TimeSpan PackTimeLimit = TimeSpan.FromMinutes(5);

    public PackedPackage()
    {
        Version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        RunFolder = Path.Combine(Path.GetTempPath(), "brdl-e2e", Version);
        Directory.CreateDirectory(RunFolder);
    }

    public string Version { get; }

    /// <summary>Everything this run writes: the feed, the package cache, one folder per test.</summary>
    public string RunFolder { get; }

    public string FeedFolder => Path.Combine(RunFolder, "feed");

    public string PackagesFolder => Path.Combine(RunFolder, "packages");

    /// <summary>The package registries configured on this machine (for anything but our package), read once.</summary>
    public IReadOnlyList<string> RegistrySources { get; private set; } = [];

    /// <summary>The <c>dotnet</c> that runs these tests: the same SDK builds the test projects.</summary>
    public static string DotNet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public async Task InitializeAsync()
    {
        string project = Path.Combine(RepositoryPaths.Root, "src", "Buildroot.Download.Tasks", "Buildroot.Download.Tasks.csproj");
        BuildResult pack = await RunDotNetAsync(
            RepositoryPaths.Root,
            ["pack", project, "-c", "Release", "-o", FeedFolder, $"-p:Version={Version}", "--artifacts-path", Path.Combine(RunFolder, "artifacts"), "-nodeReuse:false", "-tl:off"]);
        if (!pack.Succeeded || !File.Exists(Path.Combine(FeedFolder, $"{PackageId}.{Version}.nupkg")))
        {
            throw new InvalidOperationException($"Packing {PackageId} failed, so no end-to-end test can run:{Environment.NewLine}{pack}");
        }

        RegistrySources = await ReadRegistrySourcesAsync();
    }

    public Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable(KeepVariable) != "1")
        {
            EndToEndProject.DeleteQuietly(RunFolder);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The environment of a child <c>dotnet</c>: no telemetry, no lingering nodes, and for the
    /// builds of test projects (<paramref name="forTestProject"/>) this run's package cache.
    /// </summary>
    public void PrepareEnvironment(ProcessStartInfo startInfo, bool forTestProject = true)
    {
        IDictionary<string, string?> environment = startInfo.Environment;

        // What the test host's own dotnet set for itself must not steer the child's MSBuild.
        foreach (string inherited in environment.Keys.Where(IsInheritedBuildVariable).ToList())
        {
            environment.Remove(inherited);
        }

        // The download folder is always given explicitly; a developer's own must never be touched.
        environment.Remove("BR2_DL_DIR");
        if (forTestProject)
        {
            environment["NUGET_PACKAGES"] = PackagesFolder;
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDTERMINALLOGGER"] = "off";

        // The loopback servers of the tests must be reached directly even where a proxy is configured.
        foreach (string name in new[] { "NO_PROXY", "no_proxy" })
        {
            string existing = environment.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value + "," : string.Empty;
            environment[name] = existing + "127.0.0.1,localhost";
        }
    }

    // Packing restores the task project's own references (Microsoft.Build.*) from the user's cache, as any build of it does.
    private async Task<BuildResult> RunDotNetAsync(string workingDirectory, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(DotNet) { WorkingDirectory = workingDirectory };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        PrepareEnvironment(startInfo, forTestProject: false);
        using var child = ChildProcess.Start(startInfo);
        child.CloseInput();
        int exitCode = await child.WaitForExitAsync(PackTimeLimit);
        return new BuildResult($"dotnet {string.Join(' ', arguments)}", exitCode, child.Output, binlogPath: null, child.Elapsed);
    }

    // The dotnet that runs `dotnet test` points these at its own MSBuild for the test host.
    private static bool IsInheritedBuildVariable(string name) =>
        name is "MSBuildExtensionsPath" or "MSBuildSDKsPath" or "MSBUILD_EXE_PATH" or "MSBuildLoadMicrosoftTargetsReadOnly" ||
        name.StartsWith("VSTEST_", StringComparison.Ordinal);

    // `dotnet nuget list source`, run outside any repository, lists the machine's and the user's
    // enabled sources: the registry this machine restores from, whatever it is called here.
    private async Task<IReadOnlyList<string>> ReadRegistrySourcesAsync()
    {
        BuildResult list = await RunDotNetAsync(RunFolder, ["nuget", "list", "source", "--format", "short"]);
        if (!list.Succeeded)
        {
            return [];
        }

        return list.Output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .Where(source => !string.Equals(Path.GetFullPath(source, RunFolder), FeedFolder, StringComparison.Ordinal))
            .ToList();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<PackedPackage>
{
    /// <summary>
    /// Every end-to-end test is in this one collection: they run one after the other (each
    /// <c>dotnet build</c> already keeps the 2 cores busy) and share one packed feed.
    /// </summary>
    public const string Name = "End to end";
}
