using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// One line of <c>../shared/conformance/buildroot-git/cases.tsv</c> (its README describes the
/// columns): a package downloaded from one of the conformance remotes, and what must come of it.
/// </summary>
internal sealed record GitConformanceCase(
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

    /// <summary>The case's hash file in the conformance data, when it has one.</summary>
    public string? HashFile => Path.Combine(Folder, "hashes", Name + ".hash") is var path && System.IO.File.Exists(path) ? path : null;

    /// <summary>Every path inside the archive starts with this folder.</summary>
    public string TopFolder => $"{Name}-{Version}";

    public static IReadOnlyList<GitConformanceCase> ReadAll() =>
        System.IO.File.ReadAllLines(Path.Combine(Folder, "cases.tsv"))
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(f => new GitConformanceCase(f[0], f[1], f[2], f[3] == "yes", f[4], f[5], f.ElementAtOrDefault(6) ?? "", f.ElementAtOrDefault(7) ?? ""))
            .ToList();

    public override string ToString() => $"{Name} ({Version}, {Expect})";
}
