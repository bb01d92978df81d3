using System.Diagnostics;
using System.Security;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// One test's world: a temporary root holding a <c>nuget.config</c> (the run's local feed first),
/// a project that references the packed package and declares what the test writes into it,
/// a download folder, and the binary logs of every build. Builds run <c>dotnet build</c> as a
/// child process, exactly as a user types it, plus the download folder and an empty backup site
/// (there is no network here, and <c>https://sources.buildroot.net</c> must never be asked).
/// <code>
/// root/
///   nuget.config
///   project/Consumer.csproj   (what <see cref="WriteProject"/> writes)
///   dl/                       (BuildrootDlDir)
///   logs/build-1.binlog, …
/// </code>
/// </summary>
internal sealed class EndToEndProject : IDisposable
{
    /// <summary>The prefix of the line printed for each <c>BuildrootDownloadedFile</c> item.</summary>
    public const string DownloadedFileMarker = "E2E-DOWNLOADED-FILE";

    private static readonly TimeSpan BuildTimeLimit = TimeSpan.FromMinutes(4);

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;
    private int _builds;

    /// <param name="name">A short name for the test's folder, to find it among the others (with <c>BRDL_E2E_KEEP=1</c>).</param>
    public EndToEndProject(PackedPackage package, ITestOutputHelper output, string name)
    {
        _package = package;
        _output = output;
        Root = Path.Combine(package.RunFolder, "tests", $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        ProjectFile = Path.Combine(ProjectDirectory, "Consumer.csproj");
        Directory.CreateDirectory(ProjectDirectory);
        Directory.CreateDirectory(LogsFolder);
        File.WriteAllText(Path.Combine(Root, "nuget.config"), NuGetConfig());
    }

    public string Root { get; }

    public string ProjectDirectory => Path.Combine(Root, "project");

    public string ProjectFile { get; private set; }

    /// <summary>The download folder every build of this project is given (<c>BuildrootDlDir</c>).</summary>
    public string DownloadFolder => Path.Combine(Root, "dl");

    /// <summary><c>$(BaseIntermediateOutputPath)</c> of the project.</summary>
    public string IntermediateFolder => Path.Combine(ProjectDirectory, "obj");

    private string LogsFolder => Path.Combine(Root, "logs");

    /// <summary>Where a package's file lands: <c>&lt;dl dir&gt;/&lt;dl subdir&gt;/&lt;file&gt;</c>.</summary>
    public string DownloadedPath(string dlSubdir, string file) => Path.Combine(DownloadFolder, dlSubdir, file);

    /// <summary>
    /// Every file under the download folder, relative to it, but the package locks (<c>.lock</c>),
    /// which are there by design: what a failed or refused download must leave empty.
    /// </summary>
    public IReadOnlyList<string> FilesInDownloadFolder() =>
        !Directory.Exists(DownloadFolder)
            ? []
            : Directory.EnumerateFiles(DownloadFolder, "*", SearchOption.AllDirectories)
                .Where(path => Path.GetFileName(path) != ".lock")
                .Select(path => Path.GetRelativePath(DownloadFolder, path))
                .Order(StringComparer.Ordinal)
                .ToList();

    /// <summary>Writes a file relative to the project folder and returns its full path.</summary>
    public string WriteFile(string relativePath, string content) => WriteFile(relativePath, System.Text.Encoding.UTF8.GetBytes(content));

    public string WriteFile(string relativePath, byte[] content)
    {
        string path = Path.Combine(ProjectDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>
    /// Copies a project of <c>testassets/</c> (without its <c>bin/</c> and <c>obj/</c>) as this
    /// test's project: a copy, so that tests never write into the repository.
    /// </summary>
    public void CopyTestAsset(string name)
    {
        string source = Path.Combine(TestUtilities.RepositoryPaths.TestAssets, name);
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj")
            {
                continue;
            }

            string target = Path.Combine(ProjectDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        ProjectFile = Directory.GetFiles(ProjectDirectory, "*.csproj").Single();
    }

    /// <summary>
    /// Writes the project: a class library with nothing to compile, the package reference a user
    /// writes, then <paramref name="items"/> and <paramref name="properties"/> as given (XML).
    /// A last target prints each <c>BuildrootDownloadedFile</c> item, so tests can read them.
    /// </summary>
    public void WriteProject(string items, string properties = "") => File.WriteAllText(ProjectFile, ProjectText(items, properties));

    /// <summary>
    /// The text of a project as <see cref="WriteProject"/> writes it; with <paramref name="targetFrameworks"/>
    /// it multi-targets (<c>TargetFrameworks</c>), and <paramref name="targets"/> (XML) are added at its end.
    /// </summary>
    public string ProjectText(string items, string properties = "", string? targetFrameworks = null, string targets = "")
    {
        // net<the SDK's own version>: its targeting pack ships with the SDK, so nothing but our package is restored.
        string frameworks = targetFrameworks is null
            ? "<TargetFramework>net$(BundledNETCoreAppTargetFrameworkVersion)</TargetFramework>"
            : $"<TargetFrameworks>{targetFrameworks}</TargetFrameworks>";
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                {frameworks}
                <ImplicitUsings>disable</ImplicitUsings>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackage.PackageId}" Version="{_package.Version}" PrivateAssets="all" />
              </ItemGroup>
              <ItemGroup>
                {items}
              </ItemGroup>
              <Target Name="ReportBuildrootDownloadedFiles" AfterTargets="BuildrootDownload;BuildrootSource" Condition="'@(BuildrootDownloadedFile)' != ''">
                <Message Importance="high" Text="{DownloadedFileMarker}|%(BuildrootDownloadedFile.Identity)|%(BuildrootDownloadedFile.Package)|%(BuildrootDownloadedFile.Transient)|%(BuildrootDownloadedFile.Verified)" />
              </Target>
              {targets}
            </Project>
            """;
    }

    /// <summary>
    /// A program and its arguments that run <c>dotnet build</c> in turn (it gets the dotnet
    /// command line appended), e.g. <c>unshare</c> to build with a read-only download folder.
    /// </summary>
    public IReadOnlyList<string> CommandPrefix { get; set; } = [];

    /// <summary>Variables set for this project's builds only, on top of the clean environment (never in the test process).</summary>
    public Dictionary<string, string> BuildEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary><c>dotnet build</c> of the project, waiting for the end.</summary>
    public async Task<BuildResult> BuildAsync(params string[] arguments)
    {
        using RunningBuild build = StartBuild(arguments);
        return await build.WaitAsync(BuildTimeLimit);
    }

    /// <summary>Another <c>dotnet</c> command in the project folder (<c>dotnet new sln</c>, say), which must succeed.</summary>
    public async Task RunDotNetAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(PackedPackage.DotNet) { WorkingDirectory = ProjectDirectory };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        _package.PrepareEnvironment(startInfo);
        using var child = ChildProcess.Start(startInfo);
        child.CloseInput();
        int exitCode = await child.WaitForExitAsync(BuildTimeLimit);
        exitCode.ShouldBe(0, $"dotnet {string.Join(' ', arguments)} failed:{Environment.NewLine}{child.Output}");
    }

    /// <summary>The BRDL warnings and errors <paramref name="result"/>'s binary log holds, with the file and line of each.</summary>
    public Task<IReadOnlyList<LoggedDiagnostic>> LoggedDiagnosticsAsync(BuildResult result) =>
        BinaryLog.DiagnosticsAsync(result, startInfo => _package.PrepareEnvironment(startInfo, forTestProject: false));

    /// <summary><c>dotnet build &lt;file&gt;</c> of another project or solution of this test (a path under the project folder).</summary>
    public async Task<BuildResult> BuildFileAsync(string file, params string[] arguments)
    {
        using RunningBuild build = StartBuild(arguments, onLine: null, Path.Combine(ProjectDirectory, file), interruptible: false);
        return await build.WaitAsync(BuildTimeLimit);
    }

    /// <summary><c>dotnet build -t:&lt;target&gt;</c>: a target run on demand, as <c>BuildrootVerify</c>.</summary>
    public Task<BuildResult> RunTargetAsync(string target, params string[] arguments) =>
        BuildAsync([$"-t:{target}", .. arguments]);

    /// <summary>Starts <c>dotnet build</c> and returns at once, for tests that act while it runs.</summary>
    /// <param name="interruptible">
    /// For a test that will press Ctrl+C (<see cref="RunningBuild.Interrupt"/>): the build starts with
    /// SIGINT at its default, not with whatever this test process inherited.
    /// </param>
    public RunningBuild StartBuild(string[] arguments, Action<string>? onLine = null, bool interruptible = false) =>
        StartBuild(arguments, onLine, ProjectFile, interruptible);

    /// <summary>
    /// Starts <c>dotnet build</c> on a pseudo-terminal, as a developer types it there: MSBuild's
    /// terminal logger draws the build (its output is the terminal's, escape sequences included).
    /// <c>-tl:on</c> asks for it: on a developer's terminal it is the default, but MSBuild 18.9's
    /// detection takes a pseudo-terminal opened by a helper (python's <c>pty</c>, <c>script</c>)
    /// for output redirected to a file.
    /// </summary>
    public RunningBuild StartBuildOnTerminal(string[] arguments, Action<string>? onLine = null) =>
        StartBuild(arguments, onLine, ProjectFile, interruptible: false, onTerminal: true);

    private RunningBuild StartBuild(string[] arguments, Action<string>? onLine, string file, bool interruptible = false, bool onTerminal = false)
    {
        int number = Interlocked.Increment(ref _builds);
        string binlog = Path.Combine(LogsFolder, $"build-{number}.binlog");
        string[] allArguments =
        [
            "build", file,
            "-nodeReuse:false", onTerminal ? "-tl:on" : "-tl:off", $"-bl:{binlog}",
            $"-p:BuildrootDlDir={DownloadFolder}",
            "-p:BuildrootBackupSite=",
            .. arguments,
        ];
        string[] command = [.. CommandPrefix, PackedPackage.DotNet, .. allArguments];
        var startInfo = new ProcessStartInfo(command[0]) { WorkingDirectory = ProjectDirectory };
        foreach (string argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        _package.PrepareEnvironment(startInfo);
        foreach ((string name, string value) in BuildEnvironment)
        {
            startInfo.Environment[name] = value;
        }

        if (onTerminal)
        {
            startInfo.Environment.Remove("MSBUILDTERMINALLOGGER");
            startInfo = ChildProcess.OnTerminal(startInfo);
        }

        var child = ChildProcess.Start(interruptible ? ChildProcess.WithDefaultInterrupt(startInfo) : startInfo, onLine);
        child.CloseInput();
        return new RunningBuild(child, string.Join(' ', [.. CommandPrefix, "dotnet", .. allArguments]), binlog, _output);
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(PackedPackage.KeepVariable) != "1")
        {
            DeleteQuietly(Root);
        }
    }

    internal static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: it is under the temp folder.
        }
    }

    // The local feed serves our package and nothing else; everything else comes from the machine's registry.
    private string NuGetConfig()
    {
        string registries = string.Concat(_package.RegistrySources.Select((source, i) =>
            $"""    <add key="registry{i}" value="{SecurityElement.Escape(source)}" />{Environment.NewLine}"""));
        string registryMappings = string.Concat(_package.RegistrySources.Select((_, i) =>
            $"""    <packageSource key="registry{i}"><package pattern="*" /></packageSource>{Environment.NewLine}"""));
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="e2e-feed" value="{SecurityElement.Escape(_package.FeedFolder)}" />
            {registries}  </packageSources>
              <packageSourceMapping>
                <clear />
                <packageSource key="e2e-feed"><package pattern="{PackedPackage.PackageId}" /></packageSource>
            {registryMappings}  </packageSourceMapping>
            </configuration>
            """;
    }
}

/// <summary>A <c>dotnet build</c> under way.</summary>
internal sealed class RunningBuild : IDisposable
{
    private readonly ChildProcess _child;
    private readonly string _commandLine;
    private readonly string _binlog;
    private readonly ITestOutputHelper _output;

    public RunningBuild(ChildProcess child, string commandLine, string binlog, ITestOutputHelper output)
    {
        _child = child;
        _commandLine = commandLine;
        _binlog = binlog;
        _output = output;
    }

    public string OutputSoFar => _child.Output;

    public bool HasExited => _child.HasExited;

    public Task Exited => _child.Exited;

    /// <summary>Ctrl+C, as a terminal sends it to <c>dotnet build</c> (started <c>interruptible</c>).</summary>
    public void Interrupt() => _child.Interrupt();

    /// <summary>SIGKILL to <c>dotnet build</c> itself, as an agent out of memory or a hard job cancel does.</summary>
    public void KillAbruptly() => _child.KillAbruptly();

    public async Task<BuildResult> WaitAsync(TimeSpan limit)
    {
        int exitCode = await _child.WaitForExitAsync(limit);
        var result = new BuildResult(_commandLine, exitCode, _child.Output, _binlog, _child.Elapsed);
        _output.WriteLine(result.ToString());
        return result;
    }

    public void Dispose() => _child.Dispose();
}
