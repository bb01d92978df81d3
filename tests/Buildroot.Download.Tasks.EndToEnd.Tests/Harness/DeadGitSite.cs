using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// Package foo 1.0 from a git server that accepts connections and never answers, and a backup
/// mirror that holds the archive git would have made: the build succeeds only once git is given up.
/// </summary>
internal sealed class DeadGitSite : IDisposable
{
    public const string ArchiveName = "foo-1.0-git4.tar.gz";

    public DeadGitSite()
    {
        Mirror.Serve($"/backup/foo/{ArchiveName}", Archive);
    }

    public SilentTcpServer GitServer { get; } = new();

    public LoopbackHttpServer Mirror { get; } = new();

    /// <summary>The bytes the backup mirror serves, which the hash file lists.</summary>
    public byte[] Archive { get; } = Payloads.Bytes("foo-1.0-git4");

    /// <summary>The package's git site, on <see cref="GitServer"/>.</summary>
    public string Site => $"{GitServer.Uri("git")}/foo.git";

    /// <summary>The build argument that makes <see cref="Mirror"/> the backup site.</summary>
    public string BackupSiteArgument => $"-p:BuildrootBackupSite={Mirror.BaseUri}/backup";

    /// <summary>Writes foo's hash file and the project that declares foo on the dead git site.</summary>
    public void WriteProject(EndToEndProject project)
    {
        project.WriteFile("foo.hash", Payloads.HashLine(ArchiveName, Archive));
        project.WriteProject($"""<BuildrootPackage Include="foo" Version="1.0" Site="{Site}" SiteMethod="git" HashFiles="foo.hash" />""");
    }

    public void Dispose()
    {
        Mirror.Dispose();
        GitServer.Dispose();
    }
}
