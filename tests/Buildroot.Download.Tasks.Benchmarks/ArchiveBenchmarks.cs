using System.Collections.Immutable;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>
/// The reproducible archive of a source tree of 5000 files (mostly small, a few large, in
/// nested folders, some executables and symlinks), against Buildroot's own way: the system
/// <c>tar … | gzip -6 -n</c>. Both produce the same bytes; this measures what it costs.
/// </summary>
[MemoryDiagnoser]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // modes and symlinks, and the system tar
public class ArchiveBenchmarks
{
    private const int FileCount = 5000;
    private const string Date = "2021-03-04 05:06:07 +0000";

    private string _root = string.Empty;
    private string _tree = string.Empty;
    private ProcessRunner _runner = null!;

    [GlobalSetup]
    public void CreateTree()
    {
        _root = Path.Combine(Path.GetTempPath(), $"brdl-bench-{Guid.NewGuid():N}");
        _tree = Path.Combine(_root, "tree");
        _runner = new ProcessRunner(new SilentLog());
        var random = new Random(42);
        long total = 0;
        for (int i = 0; i < FileCount; i++)
        {
            string folder = Path.Combine(_tree, $"module{i % 40:D2}", $"part{i % 7}", i % 3 == 0 ? "deep/er" : string.Empty);
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, $"file{i:D5}.{(i % 5 == 0 ? "c" : "txt")}");

            // Mostly source-sized files, one in a hundred of a few hundred kilobytes.
            int size = i % 100 == 0 ? random.Next(100_000, 400_000) : random.Next(100, 8_000);
            byte[] content = new byte[size];
            FillLikeText(content, random);
            File.WriteAllBytes(path, content);
            total += size;
            if (i % 50 == 0)
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }

            if (i % 250 == 0)
            {
                File.CreateSymbolicLink(path + ".link", Path.GetFileName(path));
            }
        }

        Console.WriteLine($"// Tree: {FileCount} files, {total / (1024 * 1024)} MiB, in {_tree}");
    }

    [GlobalCleanup]
    public void DeleteTree() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true)]
    public Task ReproducibleArchive_CreateAsync() =>
        ReproducibleArchive.CreateAsync(
            new ArchiveRequest(_tree, "pkg-1.0", DateTimeOffset.Parse(Date, System.Globalization.CultureInfo.InvariantCulture), Path.Combine(_root, "ours.tar.gz"), ImmutableArray<string>.Empty, "gzip"),
            _runner,
            CancellationToken.None);

    /// <summary>The tar stream alone, into nothing: what the writer costs without gzip.</summary>
    [Benchmark]
    public void TarStream_only()
    {
        var writer = new ReproducibleTarWriter(Stream.Null, "pkg-1.0", 1_614_834_367);
        foreach (ArchiveSourceEntry entry in ArchiveSourceTree.EnumerateSorted(_tree, []))
        {
            if (entry.IsSymbolicLink)
            {
                writer.WriteSymbolicLink(entry.RelativePath, System.Text.Encoding.UTF8.GetBytes(new FileInfo(entry.FullPath).LinkTarget!));
            }
            else
            {
                using SourceFile content = SourceFile.Open(entry.FullPath);
                writer.WriteFile(entry.RelativePath, entry.Status.Mode, content, entry.Status.Size, entry.FullPath);
            }
        }

        writer.Finish();
    }

    /// <summary>Buildroot's pipeline as it runs it: find | sort, GNU tar, gzip -6 -n.</summary>
    [Benchmark]
    public void System_find_sort_tar_gzip()
    {
        const string script = """
            set -e
            cd "$1"
            find . -not -type d | LC_ALL=C sort > "$2.list"
            tar cf - --transform="s#^\./#pkg-1.0/#S" --numeric-owner --owner=0 --group=0 \
                --mtime="$3" --format=posix \
                --pax-option="delete=atime,delete=ctime,delete=mtime,exthdr.name=%d/PaxHeaders/%f,exthdr.mtime={$3}" \
                --mode='go=u,go-w' -T "$2.list" | gzip -6 -n > "$2"
            """;
        using Process process = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", script, "sh", _tree, Path.Combine(_root, "system.tar.gz"), Date } })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The system pipeline failed with {process.ExitCode}.");
        }
    }

    /// <summary>Words of a small vocabulary on short lines: compresses about as source code does.</summary>
    private static void FillLikeText(byte[] content, Random random)
    {
        string[] words = ["int", "return", "if", "else", "for", "static", "void", "char", "buffer", "size", "(", ")", "{", "}", ";", "=", "0", "1", "struct", "const", "while", "length", "error", "->", "data", "NULL"];
        int i = 0;
        while (i < content.Length)
        {
            string word = random.Next(12) == 0 ? "\n    " : words[random.Next(words.Length)] + " ";
            for (int c = 0; c < word.Length && i < content.Length; c++)
            {
                content[i++] = (byte)word[c];
            }
        }
    }
}
