using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// A bare repository that tests download from (over file://), with a work clone beside it in
/// which they make commits, branches and tags and push them. Built with the real git.
/// </summary>
internal sealed class TestGitRemote
{
    private TestGitRemote(string bare, string work)
    {
        BarePath = bare;
        WorkPath = work;
    }

    public string BarePath { get; }

    /// <summary>Where commits are made before being pushed.</summary>
    public string WorkPath { get; }

    public string Url => new Uri(BarePath).AbsoluteUri;

    public static async Task<TestGitRemote> CreateAsync(string parentFolder, string name)
    {
        GitTestConfiguration.EnsureInstalled();
        string bare = Path.Combine(parentFolder, name + ".git");
        string work = Path.Combine(parentFolder, name + "-work");
        await RunAsync(parentFolder, "init", "-q", "--bare", bare);
        await RunAsync(parentFolder, "init", "-q", work);
        await RunAsync(work, "remote", "add", "origin", bare);
        return new TestGitRemote(bare, work);
    }

    /// <summary>Writes the files (path → content, '/' separated) and commits all changes; returns the commit id.</summary>
    public async Task<string> CommitAsync(string message, params (string Path, string Content)[] files)
    {
        foreach ((string path, string content) in files)
        {
            string full = Path.Combine(WorkPath, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "--allow-empty", "-m", message);
        return await GitAsync("rev-parse", "HEAD");
    }

    /// <summary>Runs git in the work clone and returns its output without the final newline.</summary>
    public Task<string> GitAsync(params string[] arguments) => RunAsync(WorkPath, arguments);

    /// <summary>Runs git in the bare repository (e.g. to make refs no clone would push).</summary>
    public Task<string> BareGitAsync(params string[] arguments) => RunAsync(BarePath, arguments);

    public Task PushAsync(params string[] refspecs) => GitAsync(["push", "-q", "--force", "origin", .. refspecs]);

    /// <summary>The real git, run directly: the fixtures never depend on the code under test.</summary>
    public static Task<string> RunAsync(string folder, params string[] arguments)
    {
        GitTestConfiguration.EnsureInstalled();
        return Task.FromResult(ReferenceTool.Run("git", arguments, folder).TrimEnd('\n'));
    }
}
