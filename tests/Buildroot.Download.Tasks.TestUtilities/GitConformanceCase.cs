namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// One line of <c>../shared/conformance/buildroot-git/cases.tsv</c> (its README describes the
/// columns): a package downloaded from one of the conformance remotes, and what must come of it.
/// </summary>
public sealed record GitConformanceCase(
    string Name,
    string Remote,
    string Version,
    bool Submodules,
    string File,
    string Expect,
    string LicenseFile,
    string LicenseSha256)
{
    public static string Folder => RepositoryPaths.GitConformance;

    /// <summary>The archive's sha256, for a <c>sha256:&lt;hex&gt;</c> case.</summary>
    public string? Sha256 => Expect.StartsWith("sha256:", StringComparison.Ordinal) ? Expect["sha256:".Length..] : null;

    /// <summary>A case whose download must succeed: a known archive, or one without hash file.</summary>
    public bool Succeeds => Sha256 is not null || Expect == "ok:no-hash-file";

    /// <summary>Where the case's hash file is in the conformance data (a case without one has none there).</summary>
    public string HashFilePath => Path.Combine(Folder, "hashes", Name + ".hash");

    /// <summary>The case's hash file in the conformance data, when it has one.</summary>
    public string? HashFile => System.IO.File.Exists(HashFilePath) ? HashFilePath : null;

    /// <summary>Every path inside the archive starts with this folder.</summary>
    public string TopFolder => $"{Name}-{Version}";

    /// <summary>Every case, or none when the conformance data is absent (<c>[ConformanceFact]</c> skips then).</summary>
    public static IReadOnlyList<GitConformanceCase> ReadAll()
    {
        string table = Path.Combine(Folder, "cases.tsv");
        return !System.IO.File.Exists(table)
            ? []
            : System.IO.File.ReadAllLines(table)
                .Skip(1)
                .Where(line => line.Length > 0)
                .Select(line => line.Split('\t'))
                .Select(f => new GitConformanceCase(f[0], f[1], f[2], f[3] == "yes", f[4], f[5], f.ElementAtOrDefault(6) ?? "", f.ElementAtOrDefault(7) ?? ""))
                .ToList();
    }

    /// <summary>Copies the conformance remotes to <paramref name="destination"/>: tests clone the copy, the originals stay untouched.</summary>
    public static void CopyRemotes(string destination) => CopyFolder(Path.Combine(Folder, "remote"), destination);

    /// <summary>The sha256 the hash file lists for the archive (check-hash format: "&lt;algo&gt; &lt;hex&gt; &lt;file&gt;", leading blanks allowed).</summary>
    public string HashFileSha256() =>
        System.IO.File.ReadLines(HashFilePath)
            .Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Single(fields => fields is ["sha256", _, var name] && name == File)[1];

    public override string ToString() => $"{Name} ({Version}, {Expect})";

    private static void CopyFolder(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            System.IO.File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.EnumerateDirectories(source))
        {
            CopyFolder(folder, Path.Combine(destination, Path.GetFileName(folder)));
        }
    }
}
