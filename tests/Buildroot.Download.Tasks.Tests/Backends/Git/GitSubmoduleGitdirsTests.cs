using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>Older gits write absolute gitdir paths into submodules' .git files; the archive must not carry the cache's location.</summary>
public sealed class GitSubmoduleGitdirsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("gitdirs");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void An_absolute_gitdir_into_the_cache_becomes_relative_to_the_submodule()
    {
        string workTree = _folder.Combine("git");
        _folder.WriteFile("git/a/.git", $"gitdir: {workTree}/.git/modules/a\n");
        _folder.WriteFile("git/a/b/c/.git", $"gitdir: {workTree}/.git/modules/a/modules/b/c\n");

        GitSubmoduleGitdirs.MakeRelative(workTree, ["a", "a/b/c"]);

        File.ReadAllText(_folder.Combine("git/a/.git")).ShouldBe("gitdir: ../.git/modules/a\n");
        File.ReadAllText(_folder.Combine("git/a/b/c/.git")).ShouldBe("gitdir: ../../../.git/modules/a/modules/b/c\n");
    }

    [Fact]
    public void A_relative_gitdir_or_one_outside_the_cache_is_left_alone()
    {
        string workTree = _folder.Combine("git");
        _folder.WriteFile("git/a/.git", "gitdir: ../.git/modules/a\n");
        _folder.WriteFile("git/b/.git", "gitdir: /elsewhere/modules/b\n");
        _folder.WriteFile("git/c/.git", $"gitdir: {workTree}-other/.git/modules/c\n");

        GitSubmoduleGitdirs.MakeRelative(workTree, ["a", "b", "c"]);

        File.ReadAllText(_folder.Combine("git/a/.git")).ShouldBe("gitdir: ../.git/modules/a\n");
        File.ReadAllText(_folder.Combine("git/b/.git")).ShouldBe("gitdir: /elsewhere/modules/b\n");
        File.ReadAllText(_folder.Combine("git/c/.git")).ShouldBe($"gitdir: {workTree}-other/.git/modules/c\n");
    }
}
