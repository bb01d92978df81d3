using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>The scp and sftp methods against a real sshd on loopback, reached through DlOpts.</summary>
public sealed class SshBackendTests : IClassFixture<SshServer>, IDisposable
{
    private readonly SshServer _sshd;
    private readonly TemporaryFolder _folder = new("ssh");
    private readonly RecordingLog _log = new();
    private readonly string _served;
    private readonly byte[] _content = RandomBytes(80_000);

    public SshBackendTests(SshServer sshd)
    {
        _sshd = sshd;
        _served = _folder.Combine("served");
        Directory.CreateDirectory(_served);
        File.WriteAllBytes(Path.Combine(_served, "pkg-1.0.tar.gz"), _content);
    }

    [RequiresToolsFact(SshServer.SshdPath, "ssh-keygen", "scp")]
    public async Task Scp_fetches_the_file_from_the_site_without_its_scheme()
    {
        BackendRequest request = Request(_folder, _sshd.ScpSite(_served), "pkg-1.0.tar.gz", _log) with { DlOpts = [.. _sshd.DlOpts] };

        BackendResult result = await new ScpBackend().FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        result.Executable.ShouldBeFalse();
        _log.Details.ShouldContain(line => line.EndsWith($"-- 127.0.0.1:{_served}/pkg-1.0.tar.gz {request.OutputPath}", StringComparison.Ordinal));
    }

    [RequiresToolsFact(SshServer.SshdPath, "ssh-keygen", "sftp")]
    public async Task Sftp_fetches_the_file_from_an_sftp_url()
    {
        BackendRequest request = Request(_folder, _sshd.SftpSite(_served), "pkg-1.0.tar.gz", _log) with { DlOpts = [.. _sshd.DlOpts] };

        await new SftpBackend().FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
    }

    [RequiresToolsFact(SshServer.SshdPath, "ssh-keygen", "scp")]
    public async Task An_executable_remote_file_stays_executable()
    {
        string script = Path.Combine(_served, "install.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        MakeOwnerOnlyExecutable(script);
        BackendRequest request = Request(_folder, _sshd.ScpSite(_served), "install.sh", _log) with { DlOpts = [.. _sshd.DlOpts] };

        BackendResult result = await new ScpBackend().FetchAsync(request, CancellationToken.None);

        result.Executable.ShouldBeTrue();
    }

    [RequiresToolsTheory(SshServer.SshdPath, "ssh-keygen", "scp", "sftp")]
    [InlineData("scp")]
    [InlineData("sftp")]
    public async Task A_missing_remote_file_is_an_error_and_leaves_no_output(string method)
    {
        string site = method == "scp" ? _sshd.ScpSite(_served) : _sshd.SftpSite(_served);
        BackendRequest request = Request(_folder, site, "missing-1.0.tar.gz", _log) with { DlOpts = [.. _sshd.DlOpts] };

        var error = await Should.ThrowAsync<BrdlException>(() => Backend(method).FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("missing-1.0.tar.gz");
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [RequiresToolsFact(SshServer.SshdPath, "ssh-keygen", "scp")]
    public async Task A_server_that_refuses_the_key_fails_at_once_instead_of_prompting()
    {
        // Only the port and host-key options: no authorized key, so only a password prompt could go on.
        string[] withoutKey = [.. _sshd.DlOpts.Where((_, i) => i is < 2 or >= 4), "-o", "PasswordAuthentication=yes"];
        withoutKey.ShouldNotContain(_sshd.UserKeyPath);
        BackendRequest request = Request(_folder, _sshd.ScpSite(_served), "pkg-1.0.tar.gz", _log) with { DlOpts = [.. withoutKey] };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var error = await Should.ThrowAsync<BrdlException>(() => new ScpBackend().FetchAsync(request, deadline.Token));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("Permission denied");
    }

    public void Dispose() => _folder.Dispose();

    private static IDownloadBackend Backend(string method) => method == "scp" ? new ScpBackend() : new SftpBackend();
}
