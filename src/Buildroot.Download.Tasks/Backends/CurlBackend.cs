using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>curl</c> method (ftp, ftps, smb): <c>&lt;uri&gt;/&lt;file&gt;</c> fetched by the curl tool,
/// with Buildroot's options: <c>-q</c> (no <c>.curlrc</c>; it must come first), passive ftp,
/// three retries, and <c>--fail</c> so an error page is never saved as the file; credentials come
/// from netrc, as for every other method.
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
            .WithArguments(NetrcOptions())
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

    /// <summary>
    /// curl reads no netrc unless told to (wget and git do by default): the file NETRC names when it
    /// exists (curl before 8.16 ignores the variable), else ~/.netrc if there is one.
    /// </summary>
    private static string[] NetrcOptions() =>
        Environment.GetEnvironmentVariable("NETRC") is { Length: > 0 } named && File.Exists(named)
            ? ["--netrc-file", named]
            : ["--netrc-optional"];
}
