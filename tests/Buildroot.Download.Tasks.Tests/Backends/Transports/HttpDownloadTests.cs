using System.Diagnostics;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;
using Fault = Buildroot.Download.Tasks.TestUtilities.LoopbackHttpServer.Fault;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>The wget method over http, fetched by the built-in client from a real loopback server.</summary>
public sealed class HttpDownloadTests : IDisposable
{
    private const string File = "zlib-1.3.1.tar.gz";
    private const string ServedPath = "/zlib/" + File;

    private readonly TemporaryFolder _folder = new("http");
    private readonly LoopbackHttpServer _server = new();
    private readonly RecordingLog _log = new();
    private readonly HttpDownloader _http = new(FastSettings);
    private readonly WgetBackend _backend;
    private readonly byte[] _content = RandomBytes(300_000);

    public HttpDownloadTests()
    {
        _backend = new WgetBackend(_http);
        _server.Serve(ServedPath, _content);
    }

    private string Site => _server.BaseUri + "/zlib";

    [RequiresToolsFact("sha256sum", "md5sum")]
    public async Task A_good_download_writes_the_served_bytes_and_returns_their_digests()
    {
        BackendRequest request = Request(_folder, Site, File, _log) with { WantedDigests = ["sha256", "md5"] };

        BackendResult result = await _backend.FetchAsync(request, CancellationToken.None);

        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        result.Digests["sha256"].ShouldBe(DigestByCoreutils("sha256sum", _content));
        result.Digests["md5"].ShouldBe(DigestByCoreutils("md5sum", _content));
        _server.RequestCount(ServedPath).ShouldBe(1);
    }

    [Fact]
    public async Task A_full_disk_is_a_coded_error_of_the_build_saying_so_not_an_unexpected_one()
    {
        // The output path leads to /dev/full, where every write fails with ENOSPC, as on a full disk.
        // (Through a link: whatever deletes the output then deletes the link, never the device.)
        string fullDisk = _folder.Combine("full-disk");
        System.IO.File.CreateSymbolicLink(fullDisk, "/dev/full");
        BackendRequest request = Request(_folder, Site, File, _log) with { OutputPath = fullDisk };

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.CannotInstallFile);
        error.Scope.ShouldBe(FailureScope.Build, "no other site can fix a full disk");
        error.Message.ShouldContain(fullDisk);
        error.Message.ShouldContain("free space");
        _server.RequestCount(ServedPath).ShouldBe(1, "a full disk is not tried again");
    }

    [Fact]
    public async Task An_http_redirect_is_followed_and_credentials_stay_with_the_host_they_were_given_for()
    {
        using var elsewhere = new LoopbackHttpServer();
        elsewhere.Serve("/moved/" + File, _content);
        _server.Redirect(ServedPath, $"{elsewhere.BaseUri}/moved/{File}");
        string site = Site.Replace("http://", "http://alice:secret@", StringComparison.Ordinal);
        BackendRequest request = Request(_folder, site, File, _log);

        await _backend.FetchAsync(request, CancellationToken.None);

        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        _server.Requests.ShouldHaveSingleItem().Authorization.ShouldNotBeNull();
        elsewhere.Requests.ShouldHaveSingleItem().Authorization.ShouldBeNull("another host never gets the site's credentials");
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/zlib-1.3.1.tar.gz")]
    [InlineData("gopher://127.0.0.1/x")]
    public async Task A_redirect_to_another_scheme_fails_the_attempt_with_a_coded_error_and_fetches_nothing(string location)
    {
        _server.Redirect(ServedPath, location);
        BackendRequest request = Request(_folder, Site, File, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Scope.ShouldBe(FailureScope.Attempt, "another site may serve the file");
        error.Message.ShouldContain(location.Split(':')[0] + ":");
        System.IO.File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_server_error_is_tried_again_and_the_second_answer_is_kept()
    {
        _server.Misbehave(ServedPath, Fault.ServerError);
        BackendRequest request = Request(_folder, Site, File, _log);

        await _backend.FetchAsync(request, CancellationToken.None);

        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        _server.RequestCount(ServedPath).ShouldBe(2);
    }

    [RequiresToolsFact("sha256sum")]
    public async Task A_body_cut_short_is_fetched_again_from_the_start()
    {
        _server.Misbehave(ServedPath, Fault.DropMidBody);
        BackendRequest request = Request(_folder, Site, File, _log) with { WantedDigests = ["sha256"] };

        BackendResult result = await _backend.FetchAsync(request, CancellationToken.None);

        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        result.Digests["sha256"].ShouldBe(DigestByCoreutils("sha256sum", _content));
        _server.RequestCount(ServedPath).ShouldBe(2);
        _log.Details.ShouldContain(line => line.Contains("after 150000 bytes", StringComparison.Ordinal), _log.Transcript);
    }

    [Fact]
    public async Task A_body_cut_short_on_every_try_is_an_error_not_a_short_file()
    {
        _server.Misbehave(ServedPath, Fault.DropMidBody, times: 3);
        BackendRequest request = Request(_folder, Site, File, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        _server.RequestCount(ServedPath).ShouldBe(3);
    }

    [Fact]
    public async Task A_persistent_server_error_fails_after_three_tries_naming_the_url_and_status()
    {
        _server.Misbehave(ServedPath, Fault.ServerError, times: 10);
        BackendRequest request = Request(_folder, Site, File, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Message.ShouldContain($"{Site}/{File}");
        error.Message.ShouldContain("500");
        _server.RequestCount(ServedPath).ShouldBe(3);
    }

    [Fact]
    public async Task A_missing_file_is_not_tried_again()
    {
        BackendRequest request = Request(_folder, Site, "no-such-1.0.tar.gz", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Message.ShouldContain("404");
        _server.RequestCount("/zlib/no-such-1.0.tar.gz").ShouldBe(1);
    }

    [Fact]
    public async Task A_refused_connection_is_tried_again_then_reported()
    {
        int closedPort = ClosedPort();
        BackendRequest request = Request(_folder, $"http://127.0.0.1:{closedPort}/zlib", File, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Message.ShouldContain("after 3 tries");
        error.Message.ShouldContain($"127.0.0.1:{closedPort}");
    }

    [Fact]
    public async Task A_refused_connection_is_said_once_naming_the_endpoint()
    {
        int closedPort = ClosedPort();
        BackendRequest request = Request(_folder, $"http://127.0.0.1:{closedPort}/zlib", File, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        // .NET's own words: "Connection refused (127.0.0.1:port) (Connection refused)".
        error.Reason.ShouldNotBeNull().ShouldStartWith($"could not connect to 127.0.0.1:{closedPort} (Connection refused)");
        error.Message.ShouldNotContain($"(127.0.0.1:{closedPort}) (", Case.Sensitive, "the endpoint and the system's reason are said once each");
    }

    [Fact]
    public async Task A_host_that_does_not_resolve_is_said_as_a_person_would_and_not_tried_again()
    {
        // .invalid never resolves (RFC 2606): with or without a resolver, the name is not found.
        BackendRequest request = Request(_folder, "https://nowhere.invalid/zlib", File, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        // .NET's own words: "Name or service not known (nowhere.invalid:443) (Name or service not known)".
        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Reason.ShouldNotBeNull().ShouldStartWith("the host nowhere.invalid could not be found (");
        error.Message.ShouldNotContain("(nowhere.invalid:443)", Case.Sensitive, "the host is said once, in words");
        error.Message.ShouldNotContain(" tries", Case.Sensitive, "a name that does not resolve is not tried again");
    }

    [RequiresToolsFact("sha256sum")]
    public async Task Wrong_bytes_are_passed_on_with_the_digests_of_what_was_received()
    {
        // Catching them is the wrapper's hash check; the digests must describe the file as written.
        _server.Misbehave(ServedPath, Fault.WrongBytes);
        BackendRequest request = Request(_folder, Site, File, _log) with { WantedDigests = ["sha256"] };

        BackendResult result = await _backend.FetchAsync(request, CancellationToken.None);

        result.Digests["sha256"].ShouldBe(DigestOfFileByCoreutils("sha256sum", request.OutputPath));
        result.Digests["sha256"].ShouldNotBe(DigestByCoreutils("sha256sum", _content));
    }

    [Fact]
    public async Task A_question_mark_in_the_file_name_is_sent_as_percent_3F_for_mirrors()
    {
        _server.Serve("/zlib/get?id=7.tar.gz", _content);
        BackendRequest request = Request(_folder, Site, "get?id=7.tar.gz", _log) with { UrlEncode = true };

        await _backend.FetchAsync(request, CancellationToken.None);

        _server.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe("/zlib/get%3Fid=7.tar.gz");
    }

    [Fact]
    public async Task A_question_mark_in_the_file_name_starts_a_query_on_the_package_site()
    {
        _server.Serve("/zlib/get?id=7.tar.gz", _content);
        BackendRequest request = Request(_folder, Site, "get?id=7.tar.gz", _log);

        await _backend.FetchAsync(request, CancellationToken.None);

        _server.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe("/zlib/get?id=7.tar.gz");
    }

    [Fact]
    public async Task A_mirror_with_credentials_still_gets_the_encoded_question_mark()
    {
        _server.RequiredBasicAuth = ("builder", "pw");
        _server.Serve("/zlib/get?id=7.tar.gz", _content);
        string site = $"http://builder:pw@127.0.0.1:{_server.Port}/zlib";
        BackendRequest request = Request(_folder, site, "get?id=7.tar.gz", _log) with { UrlEncode = true };

        await _backend.FetchAsync(request, CancellationToken.None);

        _server.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe("/zlib/get%3Fid=7.tar.gz");
    }

    [Fact]
    public async Task Credentials_in_the_url_are_sent_as_basic_auth_and_never_printed()
    {
        _server.RequiredBasicAuth = ("builder", "s3cr%t p@ss");
        string site = $"http://builder:s3cr%25t%20p%40ss@127.0.0.1:{_server.Port}/zlib";
        BackendRequest request = Request(_folder, site, File, _log);

        await _backend.FetchAsync(request, CancellationToken.None);
        var error = await Should.ThrowAsync<BrdlException>(() =>
            _backend.FetchAsync(Request(_folder, site, "missing.tar.gz", _log), CancellationToken.None));

        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        error.Message.ShouldContain($"http://***@127.0.0.1:{_server.Port}/zlib/missing.tar.gz");
        string everything = _log.Transcript + error;
        everything.ShouldNotContain("s3cr");
        everything.ShouldNotContain("p@ss");
        everything.ShouldNotContain("p%40ss");
    }

    [Fact]
    public async Task Cancellation_stops_a_transfer_promptly()
    {
        _server.Misbehave(ServedPath, Fault.Slow);
        BackendRequest request = Request(_folder, Site, File, _log);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Should.ThrowAsync<OperationCanceledException>(() => _backend.FetchAsync(request, cancellation.Token));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_server_that_stalls_is_given_up_and_tried_again()
    {
        _server.Misbehave(ServedPath, Fault.Slow);
        BackendRequest request = Request(_folder, Site, File, _log) with { Limits = StallAfter(TimeSpan.FromMilliseconds(300)) };
        var clock = Stopwatch.StartNew();

        await _backend.FetchAsync(request, CancellationToken.None);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.8), "the stalled try should end at the stall limit, not when the server wakes up");
        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        _server.RequestCount(ServedPath).ShouldBe(2);
        _log.Transcript.ShouldContain("did not answer within 0.3 s");
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }

    private static int ClosedPort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
