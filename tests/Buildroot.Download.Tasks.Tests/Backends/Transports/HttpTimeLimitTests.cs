using System.Diagnostics;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;
using Fault = Buildroot.Download.Tasks.TestUtilities.LoopbackHttpServer.Fault;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>
/// The built-in http client against servers that stall, trickle, reset or ask to be left alone:
/// every fault costs at most three stall limits per URL, retries and waits included.
/// </summary>
public sealed class HttpTimeLimitTests : IDisposable
{
    private const string File = "zlib-1.3.1.tar.gz";
    private const string ServedPath = "/zlib/" + File;

    private readonly TemporaryFolder _folder = new("http-limits");
    private readonly LoopbackHttpServer _server = new();
    private readonly RecordingLog _log = new();
    private readonly HttpDownloader _http = new(FastSettings);
    private readonly WgetBackend _backend;
    private readonly byte[] _content = RandomBytes(64 * 1024);

    public HttpTimeLimitTests()
    {
        _backend = new WgetBackend(_http);
        _server.Serve(ServedPath, _content);
    }

    private string Site => _server.BaseUri + "/zlib";

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_costs_three_stall_limits_in_all_then_a_coded_error()
    {
        TimeSpan stall = TimeSpan.FromMilliseconds(500);
        _server.Misbehave(ServedPath, Fault.NeverAnswer, times: 10);
        BackendRequest request = Request(_folder, Site, File, _log) with { Limits = StallAfter(stall) };
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        clock.Stop();
        error.Code.ShouldBe(MessageCodes.TransferStalled);
        error.Scope.ShouldBe(FailureScope.Attempt, "the next site must be tried");
        error.Message.ShouldContain("did not answer within");
        error.Message.ShouldContain(TransferLimits.StallProperty);
        _server.RequestCount(ServedPath).ShouldBe(3, "three tries, as wget -t 3");

        // Three windows, no back-off after a stall: about 1.5 s. The upper bound leaves room for a loaded machine.
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(stall * 3 - TimeSpan.FromMilliseconds(50));
        clock.Elapsed.ShouldBeLessThan(stall * 3 + TimeSpan.FromSeconds(5));
        System.IO.File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_server_trickling_one_byte_a_second_is_stalled_not_progressing()
    {
        TimeSpan stall = TimeSpan.FromSeconds(1);
        _server.Misbehave(ServedPath, Fault.OneBytePerSecond, times: 10);
        BackendRequest request = Request(_folder, Site, File, _log) with { Limits = StallAfter(stall) };
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        // At one byte a second the 64 KiB body would take 18 hours.
        clock.Stop();
        error.Code.ShouldBe(MessageCodes.TransferStalled);
        error.Message.ShouldMatch(@"sent (nothing|only \d+ bytes) in ");
        clock.Elapsed.ShouldBeLessThan(stall * 3 + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_slow_server_that_keeps_sending_is_not_stalled_however_long_it_takes()
    {
        // 4 KiB every 100 ms: 64 KiB take 1.6 s, longer than the stall limit, and every window sees
        // progress. The limit leaves a loaded machine room to pause the server for well over a
        // second (with 1 s, a CI agent under load once paused it long enough to fail).
        TimeSpan stall = TimeSpan.FromSeconds(1.5);
        _server.Misbehave(ServedPath, Fault.Trickle);
        BackendRequest request = Request(_folder, Site, File, _log) with { Limits = StallAfter(stall) };
        var clock = Stopwatch.StartNew();

        await _backend.FetchAsync(request, CancellationToken.None);

        clock.Elapsed.ShouldBeGreaterThan(stall);
        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        _server.RequestCount(ServedPath).ShouldBe(1);
    }

    [Fact]
    public async Task Retry_after_is_honoured_before_the_next_try()
    {
        _server.RetryAfterSeconds = 1;
        _server.Misbehave(ServedPath, Fault.RetryAfter);
        BackendRequest request = Request(_folder, Site, File, _log);

        await _backend.FetchAsync(request, CancellationToken.None);

        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        RecordedRequest[] tries = _server.Requests.Where(r => r.Path == ServedPath).ToArray();
        tries.Length.ShouldBe(2);

        // Without Retry-After the client would wait its first back-off, 10 ms here.
        (tries[1].At - tries[0].At).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Retry_after_longer_than_the_site_is_given_ends_the_tries_at_once()
    {
        _server.RetryAfterSeconds = 3600;
        _server.Misbehave(ServedPath, Fault.RetryAfter, times: 3);
        BackendRequest request = Request(_folder, Site, File, _log) with { Limits = StallAfter(TimeSpan.FromSeconds(2)) };
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "an hour's wait is not waited");
        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Message.ShouldContain("503");
        error.Message.ShouldContain("Retry-After");
        _server.RequestCount(ServedPath).ShouldBe(1);
    }

    [Fact]
    public async Task A_reset_connection_is_tried_again()
    {
        _server.Misbehave(ServedPath, Fault.Reset, times: 2);
        BackendRequest request = Request(_folder, Site, File, _log);

        await _backend.FetchAsync(request, CancellationToken.None);

        System.IO.File.ReadAllBytes(request.OutputPath).ShouldBe(_content);
        _server.RequestCount(ServedPath).ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task A_connection_reset_on_every_try_is_a_coded_attempt_failure()
    {
        _server.Misbehave(ServedPath, Fault.Reset, times: 100);
        BackendRequest request = Request(_folder, Site, File, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        // .NET's handler may itself send a request again once on a new connection: at least our three tries.
        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Scope.ShouldBe(FailureScope.Attempt);
        error.Message.ShouldContain("after 3 tries");
        _server.RequestCount(ServedPath).ShouldBeGreaterThanOrEqualTo(3);
    }
}
