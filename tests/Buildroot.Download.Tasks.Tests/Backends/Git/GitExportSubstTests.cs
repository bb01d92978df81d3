using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// export-subst as Buildroot applies it: placeholders filled from the superproject's commit,
/// every line ending with a newline, in files marked by any .gitattributes of the tree.
/// </summary>
public sealed class GitExportSubstTests : IDisposable
{
    private readonly GitDownloadHarness _harness = new("git-subst");

    public void Dispose() => _harness.Dispose();

    [RequiresToolsFact("git")]
    public async Task Every_placeholder_of_a_line_is_filled_and_the_last_line_gets_its_newline()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "subst");
        string commit = await remote.CommitAsync(
            "Release 1.0",
            (".gitattributes", "version.txt export-subst\n"),
            ("version.txt", "id=$Format:%H$ by $Format:%an$ ($Format:%s$) $ not a placeholder $\r\nsame twice $Format:%H%n%H$\nlast line $Format:%ct$"),
            ("untouched.txt", "$Format:%H$ no attribute, no final newline"));
        string committed = await remote.GitAsync("log", "-1", "--pretty=format:%ct");
        await remote.PushAsync("master");

        string archive = await _harness.DownloadAsync(remote.Url, commit, "pkg-1");

        string extracted = TarListing.Extract(archive, _harness.Folder.Combine("x"));
        File.ReadAllText(Path.Combine(extracted, "pkg-1/version.txt")).ShouldBe(
            $"id={commit} by Brdl Tests (Release 1.0) $ not a placeholder $\r\n" +
            $"same twice {commit}{commit}\n" +
            $"last line {committed}\n");
        File.ReadAllText(Path.Combine(extracted, "pkg-1/untouched.txt")).ShouldBe("$Format:%H$ no attribute, no final newline");
    }

    [RequiresToolsFact("git")]
    public async Task Attributes_of_nested_folders_and_of_submodules_count_and_submodule_files_get_the_superproject_commit()
    {
        var lib = await TestGitRemote.CreateAsync(_harness.Folder.Path, "lib");
        string libCommit = await lib.CommitAsync(
            "lib",
            (".gitattributes", "stamp export-subst\n"),
            ("stamp", "$Format:%H$"));
        await lib.PushAsync("master");
        var super = await TestGitRemote.CreateAsync(_harness.Folder.Path, "super");
        await super.CommitAsync("docs", ("doc/.gitattributes", "*.in export-subst\n"), ("doc/version.in", "$Format:%h$\n"), ("doc/other", "$Format:%h$\n"));
        await super.GitAsync("submodule", "add", "-q", lib.Url, "lib");
        string commit = await super.CommitAsync("add lib");
        await super.PushAsync("master");

        string archive = await _harness.DownloadAsync(_harness.Request(super.Url, commit, "pkg-1") with { GitSubmodules = true });

        string extracted = TarListing.Extract(archive, _harness.Folder.Combine("x"));
        File.ReadAllText(Path.Combine(extracted, "pkg-1/doc/version.in")).ShouldBe(commit + "\n", "core.abbrev=40 makes %h the full id");
        File.ReadAllText(Path.Combine(extracted, "pkg-1/doc/other")).ShouldBe("$Format:%h$\n");
        string stamp = File.ReadAllText(Path.Combine(extracted, "pkg-1/lib/stamp"));
        stamp.ShouldBe(commit + "\n");
        stamp.ShouldNotContain(libCommit);
    }

    [RequiresToolsFact("git")]
    public async Task A_rewritten_file_loses_its_executable_bit_as_in_Buildroots_archives()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "mode");
        await remote.CommitAsync("script", (".gitattributes", "*.sh export-subst\n"), ("version.sh", "echo $Format:%H$\n"), ("plain-script", "echo\n"));
        await remote.GitAsync("update-index", "--chmod=+x", "version.sh", "plain-script");
        await remote.GitAsync("commit", "-q", "-m", "executable");
        string commit = await remote.GitAsync("rev-parse", "HEAD");
        await remote.PushAsync("master");

        string archive = await _harness.DownloadAsync(remote.Url, commit, "pkg-1");

        string[] listing = TarListing.VerboseNames(archive);
        listing.ShouldContain(line => line.StartsWith("-rw-r--r--", StringComparison.Ordinal) && line.EndsWith(" pkg-1/version.sh", StringComparison.Ordinal));
        listing.ShouldContain(line => line.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && line.EndsWith(" pkg-1/plain-script", StringComparison.Ordinal));
    }
}
