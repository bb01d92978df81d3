using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>Requests for a version-control package: the archive named <c>&lt;name&gt;-&lt;version&gt;.tar.gz</c>, as the wrapper names it.</summary>
internal static class VcsRequests
{
    /// <param name="root">The test's temporary folder: scratch and download folders go inside it.</param>
    public static BackendRequest Create(TemporaryFolder root, string uri, string changeset, RecordingLog log, string name = "foo", string? version = null)
    {
        string baseName = $"{name}-{(version ?? changeset).Replace('/', '_').Replace(':', '_').Replace(' ', '_')}";
        return TestRequests.Create(root, uri, baseName + ".tar.gz", changeset, name, baseName, log);
    }
}
