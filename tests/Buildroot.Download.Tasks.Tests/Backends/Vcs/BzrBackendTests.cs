using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>An upstream Bazaar branch, made once with Breezy for the tests that only read it.</summary>
public sealed class BzrUpstream : IDisposable
{
    public static readonly DateTimeOffset FirstCommitTime = new(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);
    public static readonly DateTimeOffset SecondCommitTime = new(2024, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private readonly TemporaryFolder _folder = new("bzr-upstream");

    public BzrUpstream()
    {
        // r1 (tag v1): README "one", src/other.txt; r2: README "two".
        Path = _folder.Combine("upstream");
        if (ToolAvailability.Find("brz") is null)
        {
            return; // The tests skip themselves.
        }

        VcsTool.Run(_folder.Path, "brz", "init", "-q", Path);
        _folder.WriteFile("upstream/README", "one\n");
        _folder.WriteFile("upstream/src/other.txt", "unchanged since r1\n");
        VcsTool.Run(Path, "brz", "add", "-q");
        VcsTool.Run(Path, "brz", "commit", "-q", "-m", "one", "--commit-time", "2023-11-14 22:13:20 +0000");
        VcsTool.Run(Path, "brz", "tag", "-q", "v1");
        _folder.WriteFile("upstream/README", "two\n");
        VcsTool.Run(Path, "brz", "commit", "-q", "-m", "two", "--commit-time", "2024-02-03 05:05:06 +0100");
    }

    public string Path { get; }

    public void Dispose() => _folder.Dispose();
}

public sealed class BzrBackendTests : IClassFixture<BzrUpstream>, IDisposable
{
    private readonly TemporaryFolder _folder = new("bzr");
    private readonly RecordingLog _log = new();
    private readonly string _branch;

    public BzrBackendTests(BzrUpstream upstream)
    {
        _branch = upstream.Path;
    }

    public void Dispose() => _folder.Dispose();

    [RequiresToolsTheory("brz")]
    [InlineData("1", "foo-1", "one\n")]
    [InlineData("2", "foo-2", "two\n")]
    [InlineData("tag:v1", "foo-tag_v1", "one\n")]
    public async Task Revision_number_or_tag_spec_selects_that_revision_under_the_base_name(string changeset, string baseName, string readme)
    {
        BackendRequest request = VcsRequests.Create(_folder, _branch, changeset, _log);

        await new BzrBackend().FetchAsync(request, CancellationToken.None);

        IReadOnlyDictionary<string, string> files = TarGzEntries.Files(request.OutputPath);
        files.Keys.ShouldBe([$"{baseName}/README", $"{baseName}/src/other.txt"], ignoreOrder: true);
        files[$"{baseName}/README"].ShouldBe(readme);
    }

    [RequiresToolsFact("brz")]
    public async Task Each_file_carries_the_date_of_the_revision_that_last_changed_it()
    {
        BackendRequest request = VcsRequests.Create(_folder, _branch, "2", _log);

        await new BzrBackend().FetchAsync(request, CancellationToken.None);

        IReadOnlyList<TarGzEntry> entries = TarGzEntries.Read(request.OutputPath);
        entries.Single(e => e.Name == "foo-2/README").ModificationTime.ShouldBe(BzrUpstream.SecondCommitTime);
        entries.Single(e => e.Name == "foo-2/src/other.txt").ModificationTime.ShouldBe(BzrUpstream.FirstCommitTime);
    }

    [RequiresToolsTheory("brz")]
    [InlineData("99")]
    [InlineData("tag:v9")]
    public async Task Unknown_revision_or_tag_is_reported_as_such(string changeset)
    {
        BackendRequest request = VcsRequests.Create(_folder, _branch, changeset, _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new BzrBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
        error.Message.ShouldContain(changeset);
    }

    [RequiresToolsFact("brz")]
    public async Task A_path_that_is_no_branch_is_a_tool_failure_with_the_tools_message()
    {
        BackendRequest request = VcsRequests.Create(_folder, _folder.Combine("nothing-here"), "1", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new BzrBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("Not a branch");
    }

    [RequiresToolsFact("brz")]
    public async Task Download_options_reach_the_export_before_the_positional_values()
    {
        BackendRequest request = VcsRequests.Create(_folder, _branch, "1", _log) with { DlOpts = ["--recurse-nested"] };

        await new BzrBackend().FetchAsync(request, CancellationToken.None);

        _log.Details.ShouldContain(line => line.Contains($"--recurse-nested -- {request.OutputPath} {_branch}", StringComparison.Ordinal));
    }

    [RequiresToolsFact("brz")]
    public async Task Quiet_request_prints_no_command_line()
    {
        BackendRequest request = VcsRequests.Create(_folder, _branch, "1", _log) with { Quiet = true };

        await new BzrBackend().FetchAsync(request, CancellationToken.None);

        _log.Details.ShouldBeEmpty();
        File.Exists(request.OutputPath).ShouldBeTrue();
    }
}
