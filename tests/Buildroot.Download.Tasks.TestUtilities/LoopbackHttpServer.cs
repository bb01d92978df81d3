using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (or another loopback address, ::1), small enough to misbehave on purpose: it serves
/// files set by the test, records every request, and can answer 500 (or 503 with
/// <c>Retry-After</c>), drop or reset the connection, serve other bytes than announced, be slow,
/// trickle, or never answer at all — each for a given number of requests to a path. It also answers proxy-style requests (<c>GET http://host/path</c>),
/// so a test can point <c>http_proxy</c> at it and see the request arrive.
/// It runs outside the build under test, on its own threads, so a <c>dotnet build</c> child
/// process talks to it for real.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _acceptLoop;
    private readonly TaskCompletionSource _bodyStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _disposed;
    private int _mostInFlight;

    public LoopbackHttpServer()
        : this(IPAddress.Loopback)
    {
    }

    /// <summary>A server on <paramref name="address"/> (<see cref="IPAddress.IPv6Loopback"/>, say).</summary>
    public LoopbackHttpServer(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUri = $"http://{new IPEndPoint(address, Port)}";
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>What a misbehaving answer does.</summary>
    public enum Fault
    {
        /// <summary>Answer <c>500 Internal Server Error</c>.</summary>
        ServerError,

        /// <summary>Send the headers and half of the body, then close the connection.</summary>
        DropMidBody,

        /// <summary>Send the announced length, but every byte inverted.</summary>
        WrongBytes,

        /// <summary>Wait two seconds before answering normally.</summary>
        Slow,

        /// <summary>
        /// Send the body 4 KiB every 100 ms: a download still running long after it started,
        /// for a test to interrupt (see <see cref="BodyStarted"/>).
        /// </summary>
        Trickle,

        /// <summary>Read the request, then say nothing and keep the connection open until the server stops.</summary>
        NeverAnswer,

        /// <summary>Send the headers, then the body one byte a second.</summary>
        OneBytePerSecond,

        /// <summary>Read the request, then reset the connection (a TCP RST, no answer).</summary>
        Reset,

        /// <summary>Answer <c>503 Service Unavailable</c> with <c>Retry-After: </c><see cref="RetryAfterSeconds"/>.</summary>
        RetryAfter,
    }

    public int Port { get; }

    /// <summary>Completes once a client has received the first bytes of a trickled body.</summary>
    public Task BodyStarted => _bodyStarted.Task;

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c> (<c>http://[::1]:&lt;port&gt;</c>), without a trailing slash.</summary>
    public string BaseUri { get; }

    /// <summary>What a <see cref="Fault.RetryAfter"/> answer asks for.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>When set, every request must carry this <c>Authorization: Basic</c> pair or gets 401.</summary>
    public (string User, string Password)? RequiredBasicAuth { get; set; }

    /// <summary>How long every answer waits before it starts, as a distant server's round trips would.</summary>
    public TimeSpan ResponseDelay { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> (e.g. <c>/zlib/zlib-1.3.1.tar.gz</c>).</summary>
    public void Serve(string path, byte[] content) => _files[path] = content;

    public void Serve(string path, string content) => Serve(path, Encoding.UTF8.GetBytes(content));

    public void Remove(string path) => _files.TryRemove(path, out _);

    /// <summary>Answers requests for <paramref name="path"/> with <c>302 Found</c> to <paramref name="location"/> (any URL, any scheme).</summary>
    public void Redirect(string path, string location) => _redirects[path] = location;

    /// <summary>The next <paramref name="times"/> requests for <paramref name="path"/> get <paramref name="fault"/>.</summary>
    public void Misbehave(string path, Fault fault, int times = 1)
    {
        ConcurrentQueue<Fault> queue = _faults.GetOrAdd(path, _ => new ConcurrentQueue<Fault>());
        for (int i = 0; i < times; i++)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> requests with <paramref name="method"/> for <paramref name="path"/>
    /// get <paramref name="fault"/>; other methods are answered as usual (a store that answers lookups but stalls on <c>PUT</c>).
    /// </summary>
    public void Misbehave(string method, string path, Fault fault, int times = 1) => Misbehave($"{method} {path}", fault, times);

    public int RequestCount(string path) => _requests.Count(r => r.Path == path);

    public void ClearRequests() => _requests.Clear();

    /// <summary>The most requests that were being answered at the same moment.</summary>
    public int MostConcurrentRequests => Volatile.Read(ref _mostInFlight);

    /// <summary>Stops the server (a test may stop it before the end, as an upstream going down); a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Stop();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                RecordedRequest? request = await ReadRequestAsync(stream);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                int inFlight = Interlocked.Increment(ref _inFlight);
                try
                {
                    InterlockedMax(ref _mostInFlight, inFlight);
                    if (await RespondAsync(stream, request) == Fault.Reset)
                    {
                        client.Client.LingerState = new LingerOption(true, 0);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away (or we dropped it on purpose): nothing to answer.
            }
        }
    }

    /// <returns>The fault played, if any.</returns>
    private async Task<Fault?> RespondAsync(NetworkStream stream, RecordedRequest request)
    {
        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay, _stopping.Token);
        }

        if (RequiredBasicAuth is { } credentials && request.Authorization != BasicAuthorization(credentials))
        {
            await WriteAsync(stream, 401, "Unauthorized", [], extraHeaders: "WWW-Authenticate: Basic realm=\"test\"\r\n");
            return null;
        }

        if (_redirects.TryGetValue(request.Path, out string? location))
        {
            await WriteAsync(stream, 302, "Found", [], extraHeaders: $"Location: {location}\r\n");
            return null;
        }

        Fault? fault = NextFault($"{request.Method} {request.Path}") ?? NextFault(request.Path);
        switch (fault)
        {
            case Fault.ServerError:
                await WriteAsync(stream, 500, "Internal Server Error", Encoding.ASCII.GetBytes("broken on purpose"));
                return fault;
            case Fault.RetryAfter:
                await WriteAsync(stream, 503, "Service Unavailable", Encoding.ASCII.GetBytes("come back later"), extraHeaders: $"Retry-After: {RetryAfterSeconds}\r\n");
                return fault;
            case Fault.NeverAnswer:
                await Task.Delay(Timeout.Infinite, _stopping.Token);
                return fault;
            case Fault.Reset:
                return fault;
        }

        if (!_files.TryGetValue(request.Path, out byte[]? content))
        {
            await WriteAsync(stream, 404, "Not Found", Encoding.ASCII.GetBytes("no such file"));
            return fault;
        }

        switch (fault)
        {
            case Fault.Slow:
                await Task.Delay(TimeSpan.FromSeconds(2), _stopping.Token);
                break;
            case Fault.WrongBytes:
                content = content.Select(b => (byte)~b).ToArray();
                break;
            case Fault.Trickle:
                await TrickleAsync(stream, content, chunkSize: 4096, TimeSpan.FromMilliseconds(100));
                return fault;
            case Fault.OneBytePerSecond:
                await TrickleAsync(stream, content, chunkSize: 1, TimeSpan.FromSeconds(1));
                return fault;
            case Fault.DropMidBody:
                await WriteHeadAsync(stream, 200, "OK", content.Length, string.Empty);
                await stream.WriteAsync(content.AsMemory(0, content.Length / 2), _stopping.Token);
                await stream.FlushAsync(_stopping.Token);
                return fault;
        }

        await WriteAsync(stream, 200, "OK", request.Method == "HEAD" ? [] : content, contentLength: content.Length);
        return fault;
    }

    private Fault? NextFault(string key) =>
        _faults.TryGetValue(key, out ConcurrentQueue<Fault>? queue) && queue.TryDequeue(out Fault next) ? next : null;

    private async Task TrickleAsync(NetworkStream stream, byte[] content, int chunkSize, TimeSpan pause)
    {
        await WriteHeadAsync(stream, 200, "OK", content.Length, string.Empty);
        await stream.FlushAsync(_stopping.Token);
        for (int sent = 0; sent < content.Length; sent += chunkSize)
        {
            await stream.WriteAsync(content.AsMemory(sent, Math.Min(chunkSize, content.Length - sent)), _stopping.Token);
            await stream.FlushAsync(_stopping.Token);
            _bodyStarted.TrySetResult();
            await Task.Delay(pause, _stopping.Token);
        }
    }

    private async Task WriteAsync(NetworkStream stream, int status, string reason, byte[] body, string extraHeaders = "", int? contentLength = null)
    {
        await WriteHeadAsync(stream, status, reason, contentLength ?? body.Length, extraHeaders);
        await stream.WriteAsync(body, _stopping.Token);
        await stream.FlushAsync(_stopping.Token);
    }

    private async Task WriteHeadAsync(NetworkStream stream, int status, string reason, int contentLength, string extraHeaders)
    {
        string head =
            $"HTTP/1.1 {status} {reason}\r\n" +
            $"Content-Length: {contentLength}\r\n" +
            "Content-Type: application/octet-stream\r\n" +
            "Connection: close\r\n" +
            extraHeaders +
            "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stopping.Token);
    }

    private static string BasicAuthorization((string User, string Password) credentials) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}"));

    private async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var headerBytes = new List<byte>();
        byte[] one = new byte[1];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!EndsWithBlankLine(headerBytes))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                return null;
            }

            headerBytes.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString(headerBytes.ToArray()).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length < 3)
        {
            return null;
        }

        var headers = lines.Skip(1)
            .Where(l => l.Contains(':', StringComparison.Ordinal))
            .Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        string target = requestLine[1];
        bool proxied = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        string path = proxied ? new Uri(target).PathAndQuery : target;
        return new RecordedRequest(
            DateTimeOffset.UtcNow,
            requestLine[0],
            Uri.UnescapeDataString(path),
            target,
            proxied,
            headers.FirstOrDefault(h => h.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value,
            headers.FirstOrDefault(h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)).Value)
        {
            Headers = headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToArray(),
        };
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}

/// <summary>One request as the server saw it.</summary>
/// <param name="At">When its head had arrived.</param>
/// <param name="Method">GET, HEAD, …</param>
/// <param name="Path">The path, percent-decoded (<c>/foo/a?b.tar.gz</c> arrives as sent: <c>%3F</c> decodes to <c>?</c>).</param>
/// <param name="RawTarget">The request target exactly as sent (absolute for proxied requests, still encoded).</param>
/// <param name="Proxied">True when the client spoke to us as a proxy.</param>
/// <param name="Authorization">The Authorization header, if any.</param>
/// <param name="UserAgent">The User-Agent header, if any.</param>
public sealed record RecordedRequest(DateTimeOffset At, string Method, string Path, string RawTarget, bool Proxied, string? Authorization, string? UserAgent)
{
    /// <summary>Every header as sent, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The first value of header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
