using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Uploads a file with one streamed HTTP <c>PUT</c> through <see cref="HttpDownloader"/>'s shared
/// client: read from disk 64 KiB at a time (never whole into memory), with the length announced,
/// <c>Expect: 100-continue</c> (a store that refuses says so before the body is sent), and the same
/// stall limit as downloads: a store that takes no bytes, or gives no answer, for that long is
/// given up. One try: an upload only saves a later download, so it must not hold up the build.
/// </summary>
internal sealed class HttpUploader(HttpDownloader http, TransferLimits limits)
{
    /// <summary>
    /// PUTs <paramref name="path"/> to <paramref name="url"/>. Throws <see cref="BrdlException"/>
    /// (<see cref="MessageCodes.AssetCacheUploadFailed"/>, naming <paramref name="display"/>, never
    /// <paramref name="url"/>) when the store refuses, stalls or cannot be reached.
    /// </summary>
    public async Task PutAsync(Uri url, string display, string path, Action<HttpRequestMessage> prepare, CancellationToken cancellationToken)
    {
        TimeSpan stallLimit = limits.Stall;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(stallLimit);
        using var content = new StallGuardedFileContent(path, stall, stallLimit);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.ExpectContinue = true;
        prepare(request);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, stall.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed(display, $"the store answered {(int)response.StatusCode} {response.ReasonPhrase}{AdviceFor(response.StatusCode)}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(display, $"the store took nothing and answered nothing for {stallLimit.TotalSeconds:0.###} s after {content.Sent} of {content.Length} bytes");
        }
        catch (HttpRequestException e)
        {
            throw Failed(display, SecretRedactor.Redact(e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message));
        }
    }

    private static string AdviceFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            "; the credentials given by the environment do not allow writing (for a cache that should only be read, set Access=\"read\")",
        HttpStatusCode.MethodNotAllowed => "; the server does not accept PUT there (for nginx: dav_methods PUT)",
        _ => string.Empty,
    };

    private static BrdlException Failed(string display, string why) =>
        new(FailureScope.Attempt, MessageCodes.AssetCacheUploadFailed, $"Could not upload to {display}: {why}.");

    /// <summary>The file's bytes as a request body, re-arming the stall limit after each block the store takes.</summary>
    private sealed class StallGuardedFileContent(string path, CancellationTokenSource stall, TimeSpan stallLimit) : HttpContent
    {
        private const int BlockSize = 1 << 16;

        public long Length { get; } = new FileInfo(path).Length;

        public long Sent { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
            try
            {
                // Opened for each send: the client may send the body again (after a redirect).
                var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    Sent = 0;
                    int read;
                    while ((read = await file.ReadAsync(buffer.AsMemory(0, BlockSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        stall.CancelAfter(stallLimit);
                        await stream.WriteAsync(buffer.AsMemory(0, read), stall.Token).ConfigureAwait(false);
                        Sent += read;
                    }

                    // Now the wait is for the answer: the limit starts again.
                    stall.CancelAfter(stallLimit);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Length;
            return true;
        }
    }
}
