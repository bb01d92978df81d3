using System.Security.Cryptography;
using System.Text;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// The data the rows work on, made from fixed seeds so every run (and every machine) gets the
/// same bytes, and kept in the work folder between runs (a marker file says it is complete).
/// </summary>
internal static class Workloads
{
    // C's keywords and punctuation, then identifiers made up once from a fixed seed.
    private static readonly string[] Keywords =
    [
        "int", "return", "if", "else", "for", "static", "void", "char", "struct", "const", "while", "unsigned",
        "#include", "#define", "NULL", "(", ")", "{", "}", ";", "=", "->", "*", "&&", "||", "+", "-", "[", "]", ",",
    ];

    private static readonly string[] Identifiers = MakeIdentifiers(2000, new Random(7));

    private static readonly string Licence = string.Concat(Enumerable.Range(0, 12).Select(i => $"/* {string.Join(' ', Identifiers.Skip(i * 10).Take(10))} */\n"));

    /// <summary>
    /// A source tree like a mid-sized project's: <paramref name="fileCount"/> files in about
    /// <paramref name="fileCount"/>/20 folders up to four deep, most of them a few kilobytes of
    /// code-like text, a few hundred kilobytes, adding up to about <paramref name="totalBytes"/>;
    /// one file in 50 executable, one in 500 a symbolic link.
    /// </summary>
    public static string SourceTree(string folder, int fileCount, long totalBytes, int seed)
    {
        if (IsComplete(folder))
        {
            return folder;
        }

        DeleteIfPresent(folder);
        var random = new Random(seed);
        double[] weights = Enumerable.Range(0, fileCount).Select(i => i % 97 == 0 ? 60.0 + random.Next(60) : 0.3 + (random.NextDouble() * 3)).ToArray();
        double scale = totalBytes / weights.Sum();
        int folderCount = Math.Max(1, fileCount / 20);
        string[] folders = Enumerable.Range(0, folderCount).Select(i => FolderName(i, random)).ToArray();
        for (int i = 0; i < fileCount; i++)
        {
            string path = Path.Combine(folder, folders[random.Next(folders.Length)], $"file{i:D5}{Extension(i)}");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Text((int)(weights[i] * scale), random));
            if (i % 50 == 0)
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }

            if (i % 500 == 0)
            {
                File.CreateSymbolicLink(path + ".link", Path.GetFileName(path));
            }
        }

        MarkComplete(folder);
        return folder;
    }

    /// <summary>A file of <paramref name="size"/> pseudo-random bytes, and its sha256 and sha512.</summary>
    public static (string Path, string Sha256, string Sha512) RandomFile(string path, long size, int seed)
    {
        string digests = path + ".digests";
        if (!File.Exists(digests) || !File.Exists(path) || new FileInfo(path).Length != size)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var random = new Random(seed);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            byte[] block = new byte[1 << 20];
            using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                for (long written = 0; written < size; written += block.Length)
                {
                    int count = (int)Math.Min(block.Length, size - written);
                    random.NextBytes(block);
                    output.Write(block, 0, count);
                    sha256.AppendData(block, 0, count);
                    sha512.AppendData(block, 0, count);
                }
            }

            File.WriteAllLines(digests, [Hex(sha256.GetHashAndReset()), Hex(sha512.GetHashAndReset())]);
        }

        string[] lines = File.ReadAllLines(digests);
        return (path, lines[0], lines[1]);
    }

    /// <summary>
    /// Code-like text: a licence header, then lines of keywords and identifiers (a few common,
    /// most rare), every other line again one of the last forty, as code repeats itself.
    /// Measured here, gzip -6 packs it to about a quarter, at about the speed it packs
    /// <c>/usr/include</c>: the share of gzip in an archive's time is that of real sources.
    /// </summary>
    public static byte[] Text(int size, Random random)
    {
        var lines = new List<string> { Licence };
        int length = Licence.Length;
        while (length < size)
        {
            string line = lines.Count > 2 && random.Next(100) < 55
                ? lines[random.Next(Math.Max(1, lines.Count - 40), lines.Count)]
                : NewLine(random);
            lines.Add(line);
            length += line.Length;
        }

        return Encoding.ASCII.GetBytes(string.Concat(lines)[..size]);
    }

    private static string NewLine(Random random)
    {
        var line = new StringBuilder(new string(' ', 4 * random.Next(4)));
        int words = 1 + random.Next(10);
        for (int i = 0; i < words; i++)
        {
            double pick = random.NextDouble();
            line.Append(pick < 0.4 ? Keywords[random.Next(Keywords.Length)]
                : pick < 0.9 ? Identifiers[(int)(Identifiers.Length * Math.Pow(random.NextDouble(), 3))]
                : random.Next(100_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
            line.Append(i + 1 < words ? ' ' : '\n');
        }

        return line.ToString();
    }

    private static string[] MakeIdentifiers(int count, Random random) =>
        Enumerable.Range(0, count)
            .Select(_ => new string(Enumerable.Range(0, 2 + random.Next(11)).Select(_ => "abcdefghijklmnopqrstuvwxyz_"[random.Next(27)]).ToArray()))
            .ToArray();

    public static bool IsComplete(string folder) => File.Exists(folder + ".complete");

    public static void MarkComplete(string folder) => File.WriteAllText(folder + ".complete", DateTime.UtcNow.ToString("O"));

    public static void DeleteIfPresent(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static string Hex(byte[] digest) => Convert.ToHexString(digest).ToLowerInvariant();

    private static string FolderName(int index, Random random)
    {
        int depth = 1 + random.Next(4);
        return string.Join('/', Enumerable.Range(0, depth).Select(level => level == depth - 1 ? $"dir{index:D4}" : $"area{random.Next(12):D2}"));
    }

    private static string Extension(int index) => (index % 7) switch
    {
        0 => ".h",
        1 or 2 or 3 => ".c",
        4 => ".mk",
        5 => ".txt",
        _ => string.Empty,
    };
}
