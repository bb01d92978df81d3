using System.Text;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Release;

/// <summary>Writes a whole file under its final name at once: readers see the old content or the new, never half of it.</summary>
internal static class AtomicFile
{
    /// <param name="path">The file to write (its folder is created).</param>
    /// <param name="text">Its new content, written as UTF-8 without a byte order mark.</param>
    /// <param name="errorCode">The code of the error when it cannot be written.</param>
    public static async Task WriteAsync(string path, string text, string errorCode, CancellationToken cancellationToken)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.brdl-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Build, errorCode, $"Cannot write {path}: {e.Message}", e);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // It was never made, or its folder is not writable: then nothing was left either.
        }
    }
}
