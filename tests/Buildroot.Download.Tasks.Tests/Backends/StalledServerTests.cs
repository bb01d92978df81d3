using System.Diagnostics;
using System.Globalization;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends;

/// <summary>
/// Every download tool, run for real against a server that accepts the connection and never
/// says a word: each is stopped at the stall limit with a coded attempt failure, so the wrapper
/// moves on to the next site. Before, svn, hg, brz, scp and sftp waited for minutes or for ever.
/// (git and cvs: <c>GitFaultTests</c>, <c>CvsBackendTests</c>.)
/// </summary>
public sealed class StalledServerTests : IDisposable
{
    private static readonly TransferLimits ShortLimits = new(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));

    private readonly TemporaryFolder _folder = new("stalled");
    private readonly RecordingLog _log = new();
    private readonly SilentTcpServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    [RequiresToolsTheory("svn")]
    [InlineData("http")]
    [InlineData("svn")]
    public Task Svn(string scheme) => ShouldStallAsync(new SvnBackend(), $"{_server.Uri(scheme)}/repo/trunk", "1");

    [RequiresToolsFact("hg")]
    public Task Hg() => ShouldStallAsync(new HgBackend(), $"{_server.Uri("http")}/repo", "default");

    [RequiresToolsFact("brz")]
    public Task Bzr() => ShouldStallAsync(new BzrBackend(), $"{_server.Uri("http")}/branch", "1");

    [RequiresToolsFact("curl")]
    public Task Curl_over_ftp() => ShouldStallAsync(new CurlBackend(), $"{_server.Uri("ftp")}/pub", "1.0");

    [RequiresToolsFact("wget")]
    public Task Wget_for_a_package_with_wget_options() =>
        ShouldStallAsync(new WgetBackend(), $"{_server.Uri("http")}/pub", "1.0", dlOpts: ["--no-verbose"]);

    [RequiresToolsFact("scp")]
    public Task Scp() => ShouldStallAsync(new ScpBackend(), "127.0.0.1:/srv/dl", "1.0", dlOpts: ["-P", Port]);

    [RequiresToolsFact("sftp")]
    public Task Sftp() => ShouldStallAsync(new SftpBackend(), $"sftp://127.0.0.1:{Port}/srv/dl", "1.0");

    private string Port => _server.Port.ToString(CultureInfo.InvariantCulture);

    private async Task ShouldStallAsync(IDownloadBackend backend, string site, string changeset, string[]? dlOpts = null)
    {
        BackendRequest request = TestRequests.Create(_folder, site, "foo-1.0.tar.gz", changeset, "foo", "foo-1.0", _log) with
        {
            Limits = ShortLimits,
            DlOpts = [.. dlOpts ?? []],
        };
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => backend.FetchAsync(request, CancellationToken.None));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), error.Message);
        error.Code.ShouldBe(MessageCodes.ToolStalled, error.Message);
        error.Scope.ShouldBe(FailureScope.Attempt);
        error.Message.ShouldContain(TransferLimits.StallProperty);
        _server.AcceptedConnections.ShouldBeGreaterThanOrEqualTo(1, "the tool never reached the server: this test would prove nothing");
        File.Exists(request.OutputPath).ShouldBeFalse("a partial output is left behind");
    }
}
