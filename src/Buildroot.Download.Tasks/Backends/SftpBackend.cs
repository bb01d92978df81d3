namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>sftp</c> method: <c>sftp &lt;DlOpts…&gt; -- &lt;uri&gt;/&lt;file&gt; &lt;output&gt;</c>. The site is given
/// to sftp as it is, as Buildroot does: sftp reads both <c>host:/path</c> and its own URLs,
/// <c>sftp://[user@]host[:port]/path</c>, where the path is relative to the login folder
/// (so an absolute one is written <c>sftp://host//srv/dl</c>).
/// </summary>
internal sealed class SftpBackend : IDownloadBackend
{
    public Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken) =>
        SshTransfer.FetchAsync(
            request,
            "sftp",
            request.Tools.Sftp,
            SiteUris.Join(request.Uri, request.FileName),
            "Install sftp (openssh-client), or set BuildrootSftpPath.",
            cancellationToken);
}
