using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>The curl method against a real FTP server (vsftpd) on loopback.</summary>
public sealed class CurlBackendTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("curl");
    private readonly RecordingLog _log = new();
    private readonly CurlBackend _backend = new();

    [RequiresToolsFact("curl", FtpServer.VsftpdPath)]
    public async Task A_file_is_fetched_over_passive_ftp()
    {
        using var ftp = new FtpServer();
        byte[] content = RandomBytes(120_000);
        ftp.Serve("pub/pkg/pkg-1.0.tar.gz", content);
        BackendRequest request = Request(_folder, ftp.BaseUri + "/pub/pkg", "pkg-1.0.tar.gz", _log) with { Quiet = true };

        BackendResult result = await _backend.FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(content);
        result.Digests.ShouldBeEmpty("the wrapper hashes what a tool wrote");
        ftp.Commands.ShouldContain("RETR pkg-1.0.tar.gz", ftp.Log);
        ftp.Commands.ShouldContain(command => command == "EPSV" || command == "PASV", "passive mode");
    }

    [RequiresToolsFact("curl", FtpServer.VsftpdPath)]
    public async Task Dl_opts_reach_curl()
    {
        using var ftp = new FtpServer();
        ftp.Serve("pub/pkg-1.0.tar.gz", [1, 2, 3]);
        BackendRequest request = Request(_folder, ftp.BaseUri + "/pub", "pkg-1.0.tar.gz", _log) with
        {
            DlOpts = Opts("--disable-epsv", "--ftp-method", "nocwd"),
        };

        await _backend.FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(new byte[] { 1, 2, 3 });
        ftp.Commands.ShouldContain("PASV", ftp.Log);
        ftp.Commands.ShouldNotContain("EPSV");
        ftp.Commands.ShouldContain("RETR pub/pkg-1.0.tar.gz");
    }

    [RequiresToolsFact("curl", FtpServer.VsftpdPath)]
    public async Task A_missing_file_is_an_error_and_leaves_no_output()
    {
        using var ftp = new FtpServer();
        BackendRequest request = Request(_folder, ftp.BaseUri + "/pub", "missing-1.0.tar.gz", _log) with { Quiet = true };

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("missing-1.0.tar.gz");
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    public void Dispose() => _folder.Dispose();
}
