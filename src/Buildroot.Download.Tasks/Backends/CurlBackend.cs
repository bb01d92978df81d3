using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>curl</c> method (ftp, ftps, smb): <c>&lt;uri&gt;/&lt;file&gt;</c> fetched by the curl tool,
/// with Buildroot's options: <c>-q</c> (no <c>.curlrc</c>; it must come first), passive ftp,
/// three retries, and <c>--fail</c> so an error page is never saved as the file.
/// </summary>
internal sealed class CurlBackend : IDownloadBackend
{
    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(request.Uri, "curl site", "curl");
        var curl = new ExternalCommand(request.Tools.Curl)
            .WithArguments("-q", "--ftp-pasv", "--retry", "3", "--fail")

            // The build's time limits (DlOpts come later and win).
            .WithArguments(NetworkToolSettings.CurlArguments(request.Limits))
            .WithArguments("-o", request.OutputPath)
            .WithArguments(request.Quiet ? ["--silent", "--show-error"] : [])
            .WithArguments(request.DlOpts)
            .WithArguments("--", SiteUris.Url(request))
            .WithStallLimit(request.Limits.Stall)
            .WithMissingToolHint("Install curl, or set BuildrootCurlPath.");
        try
        {
            await request.Runner.RunAsync(curl, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // curl leaves whatever it received before the failure.
            SiteUris.DeletePartialOutput(request.OutputPath);
            throw;
        }

        return BackendResult.Plain;
    }
}
