using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>An http package with DlOpts meant them for wget: the real wget runs with them.</summary>
public sealed class WgetToolTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("wget");
    private readonly LoopbackHttpServer _server = new();
    private readonly RecordingLog _log = new();
    private readonly HttpDownloader _http = new(FastSettings);
    private readonly WgetBackend _backend;

    public WgetToolTests()
    {
        _backend = new WgetBackend(_http);
    }

    [RequiresToolsFact("wget")]
    public async Task Dl_opts_are_given_to_the_real_wget()
    {
        byte[] content = RandomBytes(50_000);
        _server.Serve("/pkg/pkg-1.0.tar.gz", content);
        BackendRequest request = Request(_folder, _server.BaseUri + "/pkg", "pkg-1.0.tar.gz", _log) with
        {
            DlOpts = Opts("--header=X-Test: 1"),
        };

        await _backend.FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(content);
        RecordedRequest seen = _server.Requests.ShouldHaveSingleItem();
        seen.Header("X-Test").ShouldBe("1");
        seen.UserAgent.ShouldNotBeNull().ShouldStartWith("Wget/");
        _log.Details.ShouldContain(line => line.StartsWith("wget --passive-ftp -nd -t 3 --timeout=", StringComparison.Ordinal)
            && line.Contains(" -O ", StringComparison.Ordinal)
            && line.Contains("'--header=X-Test: 1' -- http://127.0.0.1:", StringComparison.Ordinal));
    }

    [RequiresToolsFact("wget")]
    public async Task A_failed_wget_is_an_error_and_leaves_no_output()
    {
        BackendRequest request = Request(_folder, _server.BaseUri + "/pkg", "missing-1.0.tar.gz", _log) with
        {
            DlOpts = Opts("--header=X-Test: 1"),
        };

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("404");
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [RequiresToolsFact("wget", FtpServer.VsftpdPath)]
    public async Task An_ftp_site_with_the_wget_method_is_fetched_by_wget()
    {
        using var ftp = new FtpServer();
        byte[] content = RandomBytes(40_000);
        ftp.Serve("pub/pkg-1.0.tar.gz", content);
        BackendRequest request = Request(_folder, ftp.BaseUri + "/pub", "pkg-1.0.tar.gz", _log);

        await _backend.FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(content);
        ftp.Commands.ShouldContain("PASV", "wget --passive-ftp");
        ftp.Commands.ShouldContain("RETR pkg-1.0.tar.gz", ftp.Log);
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }
}
