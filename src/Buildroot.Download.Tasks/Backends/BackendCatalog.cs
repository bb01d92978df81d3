using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>The backend for each download method (Buildroot's <c>support/download/&lt;method&gt;</c>).</summary>
internal sealed class BackendCatalog
{
    private readonly Dictionary<string, Lazy<IDownloadBackend>> _backends;

    public BackendCatalog()
    {
        // Lazy, so that a build with nothing to download creates no HTTP client at all.
        _backends = new Dictionary<string, Lazy<IDownloadBackend>>(StringComparer.Ordinal)
        {
            ["wget"] = new(() => new WgetBackend()),
            ["curl"] = new(() => new CurlBackend()),
            ["file"] = new(() => new FileBackend()),
            ["scp"] = new(() => new ScpBackend()),
            ["sftp"] = new(() => new SftpBackend()),
            ["git"] = new(() => new GitBackend()),
            ["svn"] = new(() => new SvnBackend()),
            ["hg"] = new(() => new HgBackend()),
            ["bzr"] = new(() => new BzrBackend()),
            ["cvs"] = new(() => new CvsBackend()),
        };
    }

    public IDownloadBackend For(string method) =>
        _backends.TryGetValue(method, out Lazy<IDownloadBackend>? backend)
            ? backend.Value
            : throw new BrdlException(
                FailureScope.Package,
                MessageCodes.UnknownSiteMethod,
                $"No backend for the download method '{method}'. Use one of: {string.Join(", ", _backends.Keys.Order(StringComparer.Ordinal))}.");
}
