using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>wget</c> method: <c>&lt;uri&gt;/&lt;file&gt;</c> over http or https, fetched in-process by
/// <see cref="HttpDownloader"/> (streamed, hashed on the way, retried).
/// A package with <c>DlOpts</c> meant them for wget, as in Buildroot, and a site in another
/// scheme (ftp) is wget's to speak: then the real <c>wget</c> runs, as Buildroot's backend does.
/// </summary>
internal sealed class WgetBackend : IDownloadBackend
{
    private readonly HttpDownloader _http;

    public WgetBackend()
        : this(HttpDownloader.Shared)
    {
    }

    internal WgetBackend(HttpDownloader http)
    {
        _http = http;
    }

    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(request.Uri, "wget site", "wget");
        string url = SiteUris.Url(request);
        if (RunsInProcess(request, url))
        {
            var digests = await _http
                .DownloadAsync(url, request.OutputPath, request.WantedDigests, request.Limits, request.Quiet, request.Log, cancellationToken, request.Progress)
                .ConfigureAwait(false);
            return new BackendResult { Digests = digests };
        }

        await RunWgetAsync(request, url, cancellationToken).ConfigureAwait(false);
        return BackendResult.Plain;
    }

    public string RunBy(BackendRequest request) => RunsInProcess(request, SiteUris.Url(request)) ? HttpDownloader.Name : "wget";

    private static bool RunsInProcess(BackendRequest request, string url) =>
        request.DlOpts.IsEmpty &&
        (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    private static async Task RunWgetAsync(BackendRequest request, string url, CancellationToken cancellationToken)
    {
        var wget = new ExternalCommand(request.Tools.Wget)
            .WithArguments("--passive-ftp", "-nd", "-t", "3")
            .WithArguments(NetworkToolSettings.WgetArguments(request.Limits))
            .WithArguments(request.Quiet ? ["-q"] : [])
            .WithArguments("-O", request.OutputPath)
            .WithArguments(request.DlOpts)
            .WithArguments("--", url)
            .WithStallLimit(request.Limits.Stall)
            .WithMissingToolHint("Install wget, or set BuildrootWgetPath (wget runs for http packages with DlOpts, which are wget options).");
        try
        {
            await request.Runner.RunAsync(wget, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // wget creates the -O file before it knows whether the download will work.
            SiteUris.DeletePartialOutput(request.OutputPath);
            throw;
        }
    }
}
