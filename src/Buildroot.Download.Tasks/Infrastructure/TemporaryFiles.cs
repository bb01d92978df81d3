using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// The temporary files written beside a file of the download folder before it is renamed into
/// place (<c>.&lt;name&gt;.brdl-&lt;32 hex digits&gt;.tmp</c>): one naming rule, so that what a killed
/// build left can be told from everything else and reclaimed. Only a holder of the folder's
/// package lock may reclaim them: the lock proves that no live build is writing one.
/// </summary>
internal static partial class TemporaryFiles
{
    /// <summary>A fresh temporary name beside <paramref name="finalPath"/>, hidden (a leading dot) and unique.</summary>
    public static string NameFor(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, $".{Path.GetFileName(finalPath)}.brdl-{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Deletes the temporary files directly in <paramref name="folder"/> (not below) and returns
    /// how many bytes they held. Call it only with the folder's lock held.
    /// </summary>
    public static long Reclaim(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        long bytes = 0;
        foreach (FileInfo file in new DirectoryInfo(folder).EnumerateFiles(".*.tmp"))
        {
            if (!TemporaryName().IsMatch(file.Name))
            {
                continue;
            }

            try
            {
                long length = file.Length;
                file.Delete();
                bytes += length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or not ours to delete: it is left for a later build.
            }
        }

        return bytes;
    }

    [GeneratedRegex(@"^\..+\.brdl-[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();
}
