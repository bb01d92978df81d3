using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// A first download fetches the changeset alone, without history, where the server allows
/// it, and falls back to Buildroot's full fetch where it does not or where the archive needs
/// history: the archive is the same either way.
/// </summary>
public sealed class GitShallowFetchTests : IDisposable
{
    private readonly GitDownloadHarness _harness = new("git-shallow");

    public void Dispose() => _harness.Dispose();

    [RequiresToolsFact("git")]
    public async Task A_first_download_fetches_the_commit_alone_not_the_history_before_it()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "history");
        await remote.CommitAsync("old", ("file", "old\n"), ("old-only", "gone later\n"));
        await remote.GitAsync("rm", "-q", "old-only");
        string wanted = await remote.CommitAsync("wanted", ("file", "wanted\n"));
        await remote.CommitAsync("newer", ("file", "newer\n"));
        await remote.PushAsync("master");

        string archive = await _harness.DownloadAsync(remote.Url, wanted);

        (await CommitsInCacheAsync()).ShouldBe(["wanted"], "history the archive does not need was fetched");
        TarListing.Names(archive).ShouldBe([$"pkg-{wanted}/file"]);
    }

    [RequiresToolsFact("git")]
    public async Task The_next_version_from_a_shallow_cache_fetches_that_commit_alone_and_only_what_changed()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "next");
        (string Path, string Content)[] unchanged = Enumerable.Range(0, 20).Select(i => ($"same{i}", $"unchanged file {i}\n")).ToArray();
        await remote.CommitAsync("v1", [("file", "one\n"), .. unchanged]);
        await remote.GitAsync("tag", "v1");
        await remote.CommitAsync("between", ("file", "between\n"));
        await remote.CommitAsync("v2", ("file", "two\n"), ("new", "new in v2\n"));
        await remote.GitAsync("tag", "v2");
        await remote.PushAsync("master", "--tags");
        await _harness.DownloadAsync(remote.Url, "v1");
        string gitDir = Path.Combine(_harness.CacheFolder, ".git");

        // What the server sends is kept as a pack, so objects sent again are counted again.
        await TestGitRemote.RunAsync(_harness.CacheFolder, "--git-dir", gitDir, "config", "fetch.unpackLimit", "1");
        int objectsAfterV1 = await ObjectsInCacheAsync();

        string archive = await _harness.DownloadAsync(remote.Url, "v2");

        (await CommitsInCacheAsync()).Order(StringComparer.Ordinal).ShouldBe(["v1", "v2"]);
        TarListing.Names(archive).ShouldBe(["pkg-v2/file", "pkg-v2/new", .. unchanged.Select(f => $"pkg-v2/{f.Path}").Order(StringComparer.Ordinal)]);

        // The commit, its tree, the two new blobs and little else: not the 20 files v1 already had.
        (await ObjectsInCacheAsync() - objectsAfterV1).ShouldBeLessThan(10, "the server sent v2's whole tree again: the fetch offered nothing the cache has");
    }

    [RequiresToolsFact("git")]
    public async Task A_server_that_refuses_unadvertised_commits_gets_the_full_fetch_and_the_same_archive()
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "refusing");
        string wanted = await remote.CommitAsync("wanted", ("file", "wanted\n"));
        await remote.CommitAsync("tip", ("file", "tip\n"));
        await remote.PushAsync("master");
        string shallowArchive = await _harness.DownloadAsync(remote.Url, wanted);
        Directory.Delete(_harness.CacheFolder, recursive: true);

        // Protocol v0 without uploadpack.allowReachableSHA1InWant: only ref tips may be asked for.
        string archive = await _harness.DownloadAsync(_harness.Request(remote.Url, wanted) with { DlOpts = ["--upload-pack=env -u GIT_PROTOCOL git-upload-pack"] });

        (await CommitsInCacheAsync()).Count.ShouldBe(2, "the full fetch brought the branch's history");
        File.ReadAllBytes(archive).ShouldBe(File.ReadAllBytes(shallowArchive));
    }

    [RequiresToolsTheory("git")]
    [InlineData("%P", "the parent's id")]
    [InlineData("%d", "the refs pointing at the commit")]
    public async Task An_export_subst_format_that_reads_history_expands_as_in_a_full_clone(string format, string why)
    {
        var remote = await TestGitRemote.CreateAsync(_harness.Folder.Path, "needs-history");
        string parent = await remote.CommitAsync("parent", ("file", "parent\n"));
        string wanted = await remote.CommitAsync("wanted", (".gitattributes", "stamp export-subst\n"), ("stamp", $"$Format:{format}$\n"));
        await remote.GitAsync("tag", "release");
        await remote.PushAsync("master", "--tags");
        // The expansion in a cache as Buildroot's git backend leaves it: every branch and tag of origin.
        string fullClone = _harness.Folder.Combine("full-clone");
        await TestGitRemote.RunAsync(_harness.Folder.Path, "init", "-q", fullClone);
        await TestGitRemote.RunAsync(fullClone, "remote", "add", "origin", remote.Url);
        await TestGitRemote.RunAsync(fullClone, "fetch", "-q", "--tags", "--force", "origin");
        await TestGitRemote.RunAsync(fullClone, "checkout", "-q", "--detach", wanted);
        string expected = (await TestGitRemote.RunAsync(fullClone, "-c", "core.abbrev=40", "log", "-s", "-n1", $"--pretty=format:{format}")).Replace("\n", string.Empty, StringComparison.Ordinal);

        string archive = await _harness.DownloadAsync(remote.Url, wanted);

        expected.ShouldNotBeEmpty(why);
        if (format == "%P")
        {
            expected.ShouldBe(parent);
        }

        string extracted = _harness.Folder.Combine("extracted");
        TarListing.Extract(archive, extracted);
        File.ReadAllText(Path.Combine(extracted, $"pkg-{wanted}", "stamp")).ShouldBe(expected + "\n", why);
    }

    [Theory]
    [InlineData("%H %h %T %an <%ae> %ad %cI %ct %s%n%b %B %x41 %Cred%Creset %w(20,1,2)%<(8)%G? %(trailers:only)", false)]
    [InlineData("%p", true)]
    [InlineData("%P", true)]
    [InlineData("%d", true)]
    [InlineData("%D", true)]
    [InlineData("%S", true)]
    [InlineData("%(describe)", true)]
    [InlineData("%gd", true)]
    [InlineData("%N", true)]
    [InlineData("%aZ", true)]
    [InlineData("100%", false)]
    public void Formats_that_read_more_than_the_commit_need_its_history(string format, bool needsHistory) =>
        Buildroot.Download.Tasks.Backends.GitFormatHistory.NeedsHistory(format).ShouldBe(needsHistory, format);

    /// <summary>How many objects the cache's packs hold (duplicates across packs counted again).</summary>
    private async Task<int> ObjectsInCacheAsync()
    {
        string gitDir = Path.Combine(_harness.CacheFolder, ".git");
        string counts = await TestGitRemote.RunAsync(_harness.CacheFolder, "--git-dir", gitDir, "count-objects", "-v");
        return counts.Split('\n').Where(line => line.StartsWith("count: ", StringComparison.Ordinal) || line.StartsWith("in-pack: ", StringComparison.Ordinal))
            .Sum(line => int.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The subjects of the commits the cache holds, whatever refs point at them.</summary>
    private async Task<List<string>> CommitsInCacheAsync()
    {
        string gitDir = Path.Combine(_harness.CacheFolder, ".git");
        string objects = await TestGitRemote.RunAsync(_harness.CacheFolder, "--git-dir", gitDir, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname)");
        string[] commits = objects.Split('\n').Where(line => line.StartsWith("commit ", StringComparison.Ordinal)).Select(line => line[7..]).ToArray();
        string subjects = await TestGitRemote.RunAsync(_harness.CacheFolder, ["--git-dir", gitDir, "log", "--no-walk", "--format=%s", .. commits]);
        return [.. subjects.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
