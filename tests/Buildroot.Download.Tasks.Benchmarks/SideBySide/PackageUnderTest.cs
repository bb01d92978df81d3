using System.Globalization;
using System.Security;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// The package as a user gets it: packed from this repository into a local feed of the run,
/// restored by consumer projects into a package cache of the run, and used by real
/// <c>dotnet build</c> processes (no node reuse, no build server) that are timed whole.
/// </summary>
internal sealed class PackageUnderTest
{
    private const string PackageId = "Buildroot.Download.Tasks";

    private readonly string _work;

    private PackageUnderTest(string work, string version)
    {
        _work = work;
        Version = version;
    }

    public string Version { get; }

    private string Feed => Path.Combine(_work, "feed");

    private string PackagesFolder => Path.Combine(_work, "packages");

    public static PackageUnderTest Pack(string work)
    {
        string version = "0.0.0-bench." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var package = new PackageUnderTest(work, version);
        string project = Path.Combine(RepositoryPaths.Root, "src", "Buildroot.Download.Tasks", "Buildroot.Download.Tasks.csproj");
        Console.WriteLine($"// Packing {PackageId} {version} from {RepositoryPaths.Root}");
        Measurement.Run(DotNet(["pack", project, "-c", "Release", "-o", package.Feed, $"-p:Version={version}", "--artifacts-path", Path.Combine(work, "artifacts"), "-nodeReuse:false", "-tl:off", "-v:q"]));
        return package;
    }

    /// <summary>A project referencing the package and declaring <paramref name="items"/>; restored once, here.</summary>
    public Consumer CreateConsumer(string name, string items)
    {
        string folder = Path.Combine(_work, "consumers", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="bench-feed" value="{SecurityElement.Escape(Feed)}" />
              </packageSources>
            </configuration>
            """);
        string project = Path.Combine(folder, $"{name}.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net$(BundledNETCoreAppTargetFrameworkVersion)</TargetFramework>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageId}" Version="{Version}" PrivateAssets="all" />
              </ItemGroup>
              <ItemGroup>
            {items}
              </ItemGroup>
            </Project>
            """);
        Measurement.Run(Environment(DotNet(["restore", project, "-nodeReuse:false", "-tl:off", "-v:q"])));
        return new Consumer(project, this);
    }

    /// <summary>What every child <c>dotnet</c> gets: this run's package cache, no telemetry, no lingering nodes.</summary>
    public BenchCommand Environment(BenchCommand command) =>
        command
            .With("NUGET_PACKAGES", PackagesFolder)
            .With("BR2_DL_DIR", null)
            .With("MSBuildExtensionsPath", null)
            .With("MSBuildSDKsPath", null)
            .With("MSBUILD_EXE_PATH", null);

    private static BenchCommand DotNet(string[] arguments) =>
        new BenchCommand("dotnet", arguments)
            .With("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
            .With("DOTNET_NOLOGO", "1")
            .With("MSBUILDDISABLENODEREUSE", "1")
            .With("DOTNET_CLI_USE_MSBUILD_SERVER", "0")
            .With("MSBUILDTERMINALLOGGER", "off");

    /// <summary>A consumer project; its builds are the package's side of a row.</summary>
    internal sealed class Consumer(string project, PackageUnderTest package)
    {
        /// <summary><c>dotnet build -t:&lt;target&gt;</c> with the download folder given, as a user types it (restore done once before).</summary>
        public BenchCommand Build(string target, string downloadFolder, params string[] extra) =>
            package.Environment(DotNet(
            [
                "build", project, "--no-restore", "-nodeReuse:false", "-tl:off", "-v:m", "-nologo",
                $"-t:{target}", $"-p:BuildrootDlDir={downloadFolder}", "-p:BuildrootBackupSite=", .. extra,
            ]));
    }
}
