using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Fetches one http(s) URL to a file with a single shared <see cref="HttpClient"/>: the body is
/// streamed to disk and hashed on the way, transient failures are tried again with exponential
/// backoff, a server that stops talking is given up after <see cref="HttpDownloadSettings.StallTimeout"/>,
/// and credentials in the URL are sent as Basic authentication and never printed.
/// </summary>
internal sealed class HttpDownloader : IDisposable
{
    private static readonly Lazy<HttpDownloader> LazyShared = new(() => new HttpDownloader(HttpDownloadSettings.Default));

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Buildroot.Download.Tasks",
        typeof(HttpDownloader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly HttpClient _client;
    private readonly HttpDownloadSettings _settings;

    public HttpDownloader(HttpDownloadSettings settings)
    {
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            Proxy = new EnvironmentProxy(settings.EnvironmentVariable),
            UseProxy = true,
            ConnectTimeout = settings.ConnectTimeout,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 20,

            // The bytes as served: a .tar.gz sent with "Content-Encoding: gzip" must not be unpacked.
            AutomaticDecompression = DecompressionMethods.None,

            // One client serves every package of the build; cookies must not travel between them.
            UseCookies = false,

            // The client lives as long as the MSBuild node: pick up DNS changes now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        // Time limits are ours (connect and stall), not one deadline for a whole, possibly huge, download.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The client every build in this process shares.</summary>
    public static HttpDownloader Shared => LazyShared.Value;

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="outputPath"/> (replacing it) and returns
    /// the <paramref name="wantedDigests"/> of the bytes written. Throws <see cref="BrdlException"/>
    /// with <see cref="MessageCodes.HttpFailed"/> when the server refuses or every try failed.
    /// </summary>
    public async Task<ImmutableDictionary<string, string>> DownloadAsync(
        string url,
        string outputPath,
        IEnumerable<string> wantedDigests,
        bool quiet,
        IBuildLog log,
        CancellationToken cancellationToken)
    {
        HttpTarget target = HttpTarget.Parse(url);
        string[] algorithms = wantedDigests.ToArray();
        if (!quiet)
        {
            log.Detail($"GET {target.Display}");
        }

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await TryOnceAsync(target, outputPath, algorithms, cancellationToken).ConfigureAwait(false);
            }
            catch (FailedTry failure) when (failure.Transient && attempt < _settings.Tries)
            {
                TimeSpan delay = HttpRetryPolicy.DelayBefore(attempt + 1, _settings.FirstRetryDelay);
                if (!quiet)
                {
                    log.Detail($"{target.Display}: {failure.Message}; trying again in {delay.TotalSeconds:0.###} s (try {attempt + 1} of {_settings.Tries}).");
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (FailedTry failure)
            {
                SiteUris.DeletePartialOutput(outputPath);
                string tries = attempt > 1 ? $" after {attempt} tries" : string.Empty;
                throw new BrdlException(
                    MessageCodes.HttpFailed,
                    $"Could not download {target.Display}{tries}: {failure.Message}.{failure.Advice}");
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<ImmutableDictionary<string, string>> TryOnceAsync(
        HttpTarget target,
        string outputPath,
        string[] algorithms,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, target.Uri);
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Authorization = target.Authorization;

        // Re-armed before every wait on the server: it fires only when the server stays silent that long.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_settings.StallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _client
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FailedTry(
                stall.IsCancellationRequested
                    ? $"the server did not answer within {Seconds(_settings.StallTimeout)}"
                    : $"could not connect within {Seconds(_settings.ConnectTimeout)}",
                transient: true);
        }
        catch (HttpRequestException e)
        {
            throw new FailedTry(DescribeError(e), HttpRetryPolicy.IsTransient(e.HttpRequestError));
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new FailedTry(
                    $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}",
                    HttpRetryPolicy.IsTransient(response.StatusCode),
                    AdviceFor(response.StatusCode));
            }

            // With ResponseHeadersRead the body stream is already there: this does no network I/O.
            Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var bodyDisposal = body.ConfigureAwait(false);
            using var hasher = new MultiHasher(algorithms);
            long received = await StreamToFileAsync(body, outputPath, hasher, stall, cancellationToken).ConfigureAwait(false);

            // The handler checks Content-Length itself; this is the backstop that makes a short
            // body an error whatever the framing, so a truncated file is never passed on as good.
            if (response.Content.Headers.ContentLength is { } announced && received != announced)
            {
                throw new FailedTry($"the body ended after {received} of {announced} bytes", transient: true);
            }

            return hasher.Finish();
        }
    }

    /// <summary>
    /// Copies the body to the file and returns its length. Each chunk received is written, then
    /// handed to the hashing threads, so receiving and hashing overlap; the kernel is asked to
    /// start writing the data to disk as it comes, so that making the file durable later costs
    /// little more than the last few megabytes.
    /// </summary>
    private async Task<long> StreamToFileAsync(
        Stream body,
        string outputPath,
        MultiHasher hasher,
        CancellationTokenSource stall,
        CancellationToken cancellationToken)
    {
        long received = 0;
        try
        {
            var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                var writeback = new EarlyWriteback(output.SafeFileHandle);
                while (true)
                {
                    HashChunk chunk = await hasher.RentAsync(cancellationToken).ConfigureAwait(false);
                    int filled = 0;
                    int read;
                    do
                    {
                        stall.CancelAfter(_settings.StallTimeout);
                        read = await body.ReadAsync(chunk.Buffer.AsMemory(filled), stall.Token).ConfigureAwait(false);
                        filled += read;
                        received += read;
                    }
                    while (read > 0 && filled < MultiHasher.ChunkSize);

                    if (filled == 0)
                    {
                        hasher.Return(chunk);
                        return received;
                    }

                    await output.WriteAsync(chunk.Buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                    hasher.Post(chunk, filled);
                    writeback.Written(received);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FailedTry($"the server sent nothing for {Seconds(_settings.StallTimeout)} after {received} bytes", transient: true);
        }
        catch (IOException e) when (e is HttpIOException || e.InnerException is System.Net.Sockets.SocketException)
        {
            // The connection broke while the body was streaming (reset, or closed early). Other
            // IOExceptions are the output file's (a full disk): trying again would not help.
            throw new FailedTry($"the connection broke after {received} bytes ({SecretRedactor.Redact(e.Message)})", transient: true);
        }
    }

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.###} s";

    private static string DescribeError(HttpRequestException e)
    {
        var text = new StringBuilder(SecretRedactor.Redact(e.Message));
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(SecretRedactor.Redact(inner.Message)).Append(')');
        }

        return text.ToString();
    }

    private static string AdviceFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => " Check the package's site and file name; the file may have moved.",
        HttpStatusCode.Unauthorized => " The server wants credentials: give them in the site URL (https://user:password@host/…).",
        HttpStatusCode.Forbidden => " The server refuses to serve it; check the URL and any credentials.",
        _ => string.Empty,
    };

    /// <summary>A try that failed, and whether another could succeed.</summary>
    private sealed class FailedTry(string message, bool transient, string advice = "") : Exception(message)
    {
        public bool Transient { get; } = transient;

        public string Advice { get; } = advice;
    }

    /// <summary>The URL to request, with its credentials moved into an Authorization header.</summary>
    private sealed record HttpTarget(Uri Uri, AuthenticationHeaderValue? Authorization, string Display)
    {
        public static HttpTarget Parse(string url)
        {
            string display = SecretRedactor.Redact(url);
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new BrdlException(MessageCodes.HttpFailed, $"'{display}' is not an http or https URL.");
            }

            if (uri.UserInfo.Length == 0)
            {
                return new HttpTarget(uri, null, display);
            }

            string[] parts = uri.UserInfo.Split(':', 2);
            string pair = Uri.UnescapeDataString(parts[0]) + ":" + (parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
            return new HttpTarget(
                new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri,
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair))),
                display);
        }
    }
}
