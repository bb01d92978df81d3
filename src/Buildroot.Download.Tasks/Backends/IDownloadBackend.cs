namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// One download method (http, git, svn, …). A backend writes exactly one file,
/// <see cref="BackendRequest.OutputPath"/>, inside a scratch folder that is thrown away
/// afterwards. It knows nothing of hashes, mirrors, locks or the download folder's layout:
/// the wrapper does all that. A failure it can explain is a
/// <see cref="Infrastructure.BrdlException"/>; the wrapper then tries the next URI.
/// </summary>
internal interface IDownloadBackend
{
    Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// What will fetch <paramref name="request"/>, as messages name it, when that is not the tool
    /// the method is named after (the <c>wget</c> method fetches http in-process); null otherwise.
    /// </summary>
    string? RunBy(BackendRequest request) => null;
}
