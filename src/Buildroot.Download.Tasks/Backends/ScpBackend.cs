namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>scp</c> method: <c>scp &lt;DlOpts…&gt; -- &lt;host:path&gt;/&lt;file&gt; &lt;output&gt;</c>, the site's
/// <c>scp://</c> removed as Buildroot does (<c>scp://host:/srv/dl</c> is <c>host:/srv/dl</c>).
/// </summary>
internal sealed class ScpBackend : IDownloadBackend
{
    public Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken) =>
        SshTransfer.FetchAsync(
            request,
            "scp",
            request.Tools.Scp,
            SiteUris.Join(SiteUris.WithoutScheme(request.Uri, "scp"), request.FileName),
            "Install scp (openssh-client), or set BuildrootScpPath.",
            cancellationToken);
}
