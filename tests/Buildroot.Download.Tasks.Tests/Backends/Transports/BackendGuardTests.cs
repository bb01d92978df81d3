using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>What every file-fetching backend refuses, and how it says a tool is missing.</summary>
public sealed class BackendGuardTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("guards");
    private readonly RecordingLog _log = new();

    [Theory]
    [InlineData("wget")]
    [InlineData("curl")]
    [InlineData("file")]
    [InlineData("scp")]
    [InlineData("sftp")]
    public async Task A_site_that_looks_like_an_option_is_refused(string method)
    {
        BackendRequest request = Request(_folder, "-oProxyCommand=touch /tmp/pwned", "pkg-1.0.tar.gz", _log) with
        {
            DlOpts = Opts("-v"),
        };

        var error = await Should.ThrowAsync<BrdlException>(() => Backend(method).FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ValueLooksLikeOption);
        _log.Details.ShouldBeEmpty("nothing may run");
    }

    [Theory]
    [InlineData("wget", "BuildrootWgetPath")]
    [InlineData("curl", "BuildrootCurlPath")]
    [InlineData("scp", "BuildrootScpPath")]
    [InlineData("sftp", "BuildrootSftpPath")]
    public async Task A_missing_tool_names_the_property_that_sets_its_path(string method, string property)
    {
        const string missing = "/nonexistent/brdl-tool";
        BackendRequest request = Request(_folder, "ftp://127.0.0.1:9/pub", "pkg-1.0.tar.gz", _log) with
        {
            // DlOpts make the wget method run the wget tool.
            DlOpts = Opts("-v"),
            Tools = new ToolPaths { Wget = missing, Curl = missing, Scp = missing, Sftp = missing },
        };

        var error = await Should.ThrowAsync<BrdlException>(() => Backend(method).FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolNotFound);
        error.Message.ShouldContain(property);
    }

    public void Dispose() => _folder.Dispose();

    private static IDownloadBackend Backend(string method) => method switch
    {
        "wget" => new WgetBackend(),
        "curl" => new CurlBackend(),
        "file" => new FileBackend(),
        "scp" => new ScpBackend(),
        _ => new SftpBackend(),
    };
}
