using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

public sealed class GitSubmoduleTests : IDisposable
{
    private readonly GitDownloadHarness _harness = new("git-sub");

    public void Dispose() => _harness.Dispose();

    [RequiresToolsFact("git")]
    public async Task Submodules_are_archived_with_their_git_files_pointing_relatively_into_the_left_out_git_folder()
    {
        (TestGitRemote super, string commit) = await CreateSuperprojectAsync();

        string archive = await _harness.DownloadAsync(_harness.Request(super.Url, commit, "pkg-1") with { GitSubmodules = true });

        string[] names = TarListing.Names(archive);
        names.ShouldBe(
            [
                "pkg-1/.gitmodules",
                "pkg-1/lib/.git",
                "pkg-1/lib/.gitmodules",
                "pkg-1/lib/inner/.git",
                "pkg-1/lib/inner/inner.txt",
                "pkg-1/lib/lib.txt",
                "pkg-1/main.txt",
            ],
            ignoreOrder: true);
        string extracted = TarListing.Extract(archive, _harness.Folder.Combine("x"));
        File.ReadAllText(Path.Combine(extracted, "pkg-1/lib/.git")).ShouldBe("gitdir: ../.git/modules/lib\n");
        File.ReadAllText(Path.Combine(extracted, "pkg-1/lib/inner/.git")).ShouldBe("gitdir: ../../.git/modules/lib/modules/inner\n");
        File.ReadAllText(Path.Combine(extracted, "pkg-1/lib/inner/inner.txt")).ShouldBe("inner\n");
    }

    [RequiresToolsFact("git")]
    public async Task Without_submodules_asked_their_folders_stay_empty_and_vanish_from_the_archive()
    {
        (TestGitRemote super, string commit) = await CreateSuperprojectAsync();

        string archive = await _harness.DownloadAsync(_harness.Request(super.Url, commit, "pkg-1"));

        TarListing.Names(archive).ShouldBe(["pkg-1/.gitmodules", "pkg-1/main.txt"], ignoreOrder: true);
    }

    [RequiresToolsFact("git")]
    public async Task A_version_without_the_submodule_does_not_keep_its_files_from_the_previous_download()
    {
        (TestGitRemote super, string withSubmodule) = await CreateSuperprojectAsync();
        await super.GitAsync("rm", "-q", "lib");
        string withoutSubmodule = await super.CommitAsync("drop lib", ("lib/now-a-plain-folder.txt", "plain\n"));
        await super.PushAsync("master");
        await _harness.DownloadAsync(_harness.Request(super.Url, withSubmodule, "pkg-1") with { GitSubmodules = true });

        string archive = await _harness.DownloadAsync(_harness.Request(super.Url, withoutSubmodule, "pkg-2") with { GitSubmodules = true });

        TarListing.Names(archive).ShouldBe(["pkg-2/.gitmodules", "pkg-2/lib/now-a-plain-folder.txt", "pkg-2/main.txt"], ignoreOrder: true);
    }

    /// <summary>super (main.txt) → lib (lib.txt) → inner (inner.txt), linked by file:// URLs.</summary>
    private async Task<(TestGitRemote Super, string Commit)> CreateSuperprojectAsync()
    {
        var inner = await TestGitRemote.CreateAsync(_harness.Folder.Path, "inner");
        await inner.CommitAsync("inner", ("inner.txt", "inner\n"));
        await inner.PushAsync("master");

        var lib = await TestGitRemote.CreateAsync(_harness.Folder.Path, "lib");
        await lib.CommitAsync("lib", ("lib.txt", "lib\n"));
        await lib.GitAsync("submodule", "add", "-q", inner.Url, "inner");
        await lib.CommitAsync("add inner");
        await lib.PushAsync("master");

        var super = await TestGitRemote.CreateAsync(_harness.Folder.Path, "super");
        await super.CommitAsync("main", ("main.txt", "main\n"));
        await super.GitAsync("submodule", "add", "-q", lib.Url, "lib");
        string commit = await super.CommitAsync("add lib");
        await super.PushAsync("master");
        return (super, commit);
    }
}
