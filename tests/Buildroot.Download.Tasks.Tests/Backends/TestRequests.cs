using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends;

/// <summary>Backend requests as the download wrapper makes them, each with a fresh scratch folder.</summary>
internal static class TestRequests
{
    /// <param name="root">The test's temporary folder: scratch and download folders go inside it.</param>
    public static BackendRequest Create(TemporaryFolder root, string uri, string fileName, string changeset, string name, string baseName, RecordingLog log)
    {
        string scratch = root.Combine("scratch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(scratch);
        return new BackendRequest
        {
            Uri = uri,
            FileName = fileName,

            // A '?' is fine in a URL's file name (mirrors encode it) but not in every test's output path.
            OutputPath = Path.Combine(scratch, fileName.Replace('?', '_')),
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
