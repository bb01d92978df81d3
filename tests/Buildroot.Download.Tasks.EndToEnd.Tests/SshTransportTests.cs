using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>The <c>scp</c> and <c>sftp</c> methods against a real sshd on loopback, with the client options a user gives in <c>DlOpts</c>.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SshTransportTests(PackedPackage package, ITestOutputHelper output)
{
    [RequiresToolsFact(SshServer.SshdPath, "ssh-keygen", "scp", "sftp")]
    public async Task Files_are_downloaded_over_scp_and_sftp()
    {
        using var sshd = new SshServer();
        using var project = new EndToEndProject(package, output, "ssh");
        string served = Path.Combine(project.Root, "served");
        Directory.CreateDirectory(served);
        byte[] overScp = Payloads.Bytes("viascp-1.0");
        byte[] overSftp = Payloads.Bytes("viasftp-2.0");
        File.WriteAllBytes(Path.Combine(served, "viascp-1.0.tar.gz"), overScp);
        File.WriteAllBytes(Path.Combine(served, "viasftp-2.0.tar.gz"), overSftp);
        project.WriteFile("ssh.hash", Payloads.HashLine("viascp-1.0.tar.gz", overScp) + Payloads.HashLine("viasftp-2.0.tar.gz", overSftp));
        project.WriteProject($"""
            <BuildrootPackage Include="viascp" Version="1.0" Site="{sshd.ScpSite(served)}" DlOpts="{sshd.DlOptsText}" HashFiles="ssh.hash" />
            <BuildrootPackage Include="viasftp" Version="2.0" Site="{sshd.SftpSite(served)}" DlOpts="{sshd.DlOptsText}" HashFiles="ssh.hash" />
            """);

        BuildResult result = await project.BuildAsync();

        result.ShouldSucceed($"sshd said:{Environment.NewLine}{sshd.Log}");
        result.AllCodes.ShouldBeEmpty(result.ToString());
        File.ReadAllBytes(project.DownloadedPath("viascp", "viascp-1.0.tar.gz")).ShouldBe(overScp);
        File.ReadAllBytes(project.DownloadedPath("viasftp", "viasftp-2.0.tar.gz")).ShouldBe(overSftp);
        result.DownloadedFiles.Select(f => (f.Package, f.Verified)).Order().ShouldBe([("viascp", (bool?)true), ("viasftp", (bool?)true)]);
    }
}
