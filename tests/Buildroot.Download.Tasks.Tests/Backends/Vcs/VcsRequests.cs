using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>Backend requests as the wrapper would make them, each with a fresh scratch folder.</summary>
internal static class VcsRequests
{
    /// <param name="root">The test's temporary folder: scratch and download folders go inside it.</param>
    public static BackendRequest Create(TemporaryFolder root, string uri, string changeset, RecordingLog log, string name = "foo", string? version = null)
    {
        string scratch = root.Combine("scratch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(scratch);
        string baseName = $"{name}-{(version ?? changeset).Replace('/', '_').Replace(':', '_').Replace(' ', '_')}";
        return new BackendRequest
        {
            Uri = uri,
            FileName = baseName + ".tar.gz",
            OutputPath = Path.Combine(scratch, baseName + ".tar.gz"),
            ScratchFolder = scratch,
            Changeset = changeset,
            PackageDownloadFolder = root.Combine("dl", name),
            BaseName = baseName,
            RawName = name,
            Tools = new ToolPaths(),
            Runner = new ProcessRunner(log),
            Log = log,
        };
    }
}
