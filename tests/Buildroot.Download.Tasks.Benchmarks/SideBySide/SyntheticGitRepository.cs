using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// A large git repository with a long history, made with <c>git fast-import</c> from a fixed
/// seed (Buildroot's own history is not available offline): a first commit of
/// <see cref="FileCount"/> code-like files, then <see cref="CommitCount"/> commits that each
/// rewrite part of a few files, as years of maintenance do. Tag <c>v1</c> is 100 commits
/// before the end, <c>v2</c> the end: the first download asks for <c>v1</c>, the next for <c>v2</c>.
/// </summary>
internal static class SyntheticGitRepository
{
    public const int FileCount = 6000;
    public const int CommitCount = 40_000;
    public const long TreeBytes = 40L << 20;
    private const int FilesPerCommit = 3;
    private const int CommitsAfterV1 = 100;
    private const long StartTime = 1_300_000_000;

    /// <summary>The bare repository <c>repo.git</c> under <paramref name="folder"/>, made once.</summary>
    public static string Create(string folder)
    {
        string bare = Path.Combine(folder, "repo.git");
        if (Workloads.IsComplete(bare))
        {
            return bare;
        }

        Workloads.DeleteIfPresent(bare);
        Directory.CreateDirectory(folder);
        Console.WriteLine($"// Making the synthetic repository ({FileCount} files, {CommitCount} commits) in {bare}: once, a few minutes");
        Git(folder, "init", "-q", "--bare", bare);
        var startInfo = new ProcessStartInfo("git") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (string argument in new[] { "--git-dir", bare, "fast-import", "--quiet", "--depth=50" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using (var fastImport = Process.Start(startInfo)!)
        {
            using (var input = new BufferedStream(fastImport.StandardInput.BaseStream, 1 << 20))
            {
                WriteHistory(input);
            }

            fastImport.WaitForExit();
            if (fastImport.ExitCode != 0)
            {
                throw new InvalidOperationException($"git fast-import failed with exit code {fastImport.ExitCode}.");
            }
        }

        // As a hosting server keeps it: one pack, deltas found across the whole history.
        Git(folder, "--git-dir", bare, "repack", "-a", "-d", "-q", "--window=10", "--depth=50");
        Workloads.MarkComplete(bare);
        return bare;
    }

    private static void WriteHistory(Stream input)
    {
        var random = new Random(2024);
        int folderCount = FileCount / 15;
        string[] folders = Enumerable.Range(0, folderCount)
            .Select(i => string.Join('/', Enumerable.Range(0, 1 + random.Next(3)).Select(level => $"d{random.Next(10)}")) + $"/pkg{i:D4}")
            .ToArray();
        string[] paths = Enumerable.Range(0, FileCount).Select(i => $"{folders[random.Next(folderCount)]}/f{i:D5}.c").ToArray();
        int averageSize = (int)(TreeBytes / FileCount);
        byte[][] contents = paths.Select(_ => Workloads.Text(random.Next(averageSize / 4, averageSize * 7 / 4), random)).ToArray();

        WriteCommit(input, 1, "Initial import", Enumerable.Range(0, FileCount), paths, contents);
        for (int commit = 2; commit <= CommitCount; commit++)
        {
            int[] changed = Enumerable.Range(0, FilesPerCommit).Select(_ => random.Next(FileCount)).Distinct().ToArray();
            foreach (int file in changed)
            {
                contents[file] = Rewrite(contents[file], random);
            }

            WriteCommit(input, commit, $"Change {commit}", changed, paths, contents);
            if (commit == CommitCount - CommitsAfterV1)
            {
                Write(input, $"reset refs/tags/v1\nfrom :{commit}\n\n");
            }
        }

        Write(input, $"reset refs/tags/v2\nfrom :{CommitCount}\n\n");
    }

    /// <summary>The file with one stretch of a few hundred bytes replaced by new text.</summary>
    private static byte[] Rewrite(byte[] content, Random random)
    {
        int start = random.Next(content.Length);
        int removed = Math.Min(content.Length - start, random.Next(100, 600));
        byte[] added = Workloads.Text(random.Next(100, 900), random);
        return [.. content.AsSpan(0, start), .. added, .. content.AsSpan(start + removed)];
    }

    private static void WriteCommit(Stream input, int mark, string message, IEnumerable<int> files, string[] paths, byte[][] contents)
    {
        long time = StartTime + (mark * 3600L);
        byte[] messageBytes = Encoding.UTF8.GetBytes(message + "\n");
        Write(input, string.Create(CultureInfo.InvariantCulture, $"commit refs/heads/master\nmark :{mark}\ncommitter Bench <bench@brdl.invalid> {time} +0000\ndata {messageBytes.Length}\n"));
        input.Write(messageBytes);
        if (mark > 1)
        {
            Write(input, $"from :{mark - 1}\n");
        }

        foreach (int file in files)
        {
            Write(input, $"M 100644 inline {paths[file]}\ndata {contents[file].Length}\n");
            input.Write(contents[file]);
            Write(input, "\n");
        }

        Write(input, "\n");
    }

    private static void Write(Stream input, string text) => input.Write(Encoding.UTF8.GetBytes(text));

    private static void Git(string folder, params string[] arguments) =>
        Measurement.Run(new BenchCommand("git", arguments) { WorkingDirectory = folder });
}
