using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>file</c> method: copies <c>&lt;uri without file://&gt;/&lt;file&gt;</c>, hashing it on the way.
/// An executable source stays executable, as with Buildroot's <c>cp</c>.
/// </summary>
internal sealed class FileBackend : IDownloadBackend
{
    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(request.Uri, "file site", "the download tool");
        string source = SiteUris.Join(SiteUris.WithoutScheme(request.Uri, "file"), request.FileName);
        if (!File.Exists(source))
        {
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.FileSourceMissing,
                $"The file {source} does not exist{(Directory.Exists(source) ? " (it is a folder)" : string.Empty)}. Check the package's site ({request.Uri}) and file name.");
        }

        if (!request.Quiet)
        {
            request.Log.Detail($"Copying {source}");
        }

        using var hasher = new MultiHasher(request.WantedDigests);
        byte[] buffer = new byte[1 << 16];
        FileStream input;
        try
        {
            input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Attempt, MessageCodes.FileSourceMissing, $"Cannot read {source}: {e.Message}", e);
        }

        await using (input.ConfigureAwait(false))
        {
            var output = new FileStream(request.OutputPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, read));
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return new BackendResult { Digests = hasher.Finish(), Executable = SiteUris.IsExecutable(source) };
    }
}
