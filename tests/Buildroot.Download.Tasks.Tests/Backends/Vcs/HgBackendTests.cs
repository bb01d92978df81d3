using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>An upstream Mercurial repository, made once for the tests that only read it.</summary>
public sealed class HgUpstream : IDisposable
{
    private readonly TemporaryFolder _folder = new("hg-upstream");
    private readonly Lazy<LoopbackServerProcess> _server;

    public HgUpstream()
    {
        // default: "one" (tagged v1.0), then "two"; branch stable: "stable".
        Path = _folder.Combine("upstream");
        string served = Path;
        _server = new(() => LoopbackServerProcess.Start("hg", port =>
            ["serve", "--repository", served, "--address", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        if (ToolAvailability.Find("hg") is null)
        {
            return; // The tests skip themselves.
        }

        VcsTool.Run(_folder.Path, "hg", "init", Path);
        _folder.WriteFile("upstream/README", "one\n");
        VcsTool.Run(Path, "hg", "commit", "--addremove", "-m", "one", "-d", "1700000000 0");
        VcsTool.Run(Path, "hg", "tag", "-d", "1700000100 0", "v1.0");
        _folder.WriteFile("upstream/README", "two\n");
        VcsTool.Run(Path, "hg", "commit", "-m", "two", "-d", "1700000200 0");
        SecondCommit = VcsTool.Run(Path, "hg", "log", "-r", ".", "--template", "{node}");
        VcsTool.Run(Path, "hg", "branch", "stable");
        _folder.WriteFile("upstream/README", "stable\n");
        VcsTool.Run(Path, "hg", "commit", "-m", "stable", "-d", "1700000300 0");
        VcsTool.Run(Path, "hg", "update", "default");
    }

    public string Path { get; }

    /// <summary>The full hash of the changeset whose README is "two".</summary>
    public string SecondCommit { get; } = string.Empty;

    /// <summary>The repository served by <c>hg serve</c> on 127.0.0.1 (started on first use).</summary>
    public string HttpUrl => $"http://127.0.0.1:{_server.Value.Port}/";

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }

        _folder.Dispose();
    }
}

public sealed class HgBackendTests : IClassFixture<HgUpstream>, IDisposable
{
    private readonly TemporaryFolder _folder = new("hg");
    private readonly RecordingLog _log = new();
    private readonly HgUpstream _upstream;
    private readonly string _repository;

    public HgBackendTests(HgUpstream upstream)
    {
        _upstream = upstream;
        _repository = upstream.Path;
    }

    public void Dispose() => _folder.Dispose();

    [RequiresToolsFact("hg")]
    public async Task Tag_is_archived_under_the_base_name_with_that_changesets_content()
    {
        BackendRequest request = VcsRequests.Create(_folder, _repository, "v1.0", _log);

        await new HgBackend().FetchAsync(request, CancellationToken.None);

        IReadOnlyDictionary<string, string> files = TarGzEntries.Files(request.OutputPath);
        files["foo-v1.0/README"].ShouldBe("one\n");
        files.Keys.ShouldContain("foo-v1.0/.hg_archival.txt");
        files.Keys.ShouldAllBe(name => name.StartsWith("foo-v1.0/", StringComparison.Ordinal));
    }

    [RequiresToolsFact("hg")]
    public async Task Full_changeset_hash_served_over_http_selects_that_changeset()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.HttpUrl, _upstream.SecondCommit, _log, version: "2");

        await new HgBackend().FetchAsync(request, CancellationToken.None);

        TarGzEntries.Files(request.OutputPath)["foo-2/README"].ShouldBe("two\n");
    }

    [RequiresToolsFact("hg")]
    public async Task Named_branch_served_over_http_gives_the_branch_head()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.HttpUrl, "stable", _log);

        await new HgBackend().FetchAsync(request, CancellationToken.None);

        TarGzEntries.Files(request.OutputPath)["foo-stable/README"].ShouldBe("stable\n");
    }

    [RequiresToolsFact("hg")]
    public async Task Unknown_changeset_is_reported_as_such()
    {
        BackendRequest request = VcsRequests.Create(_folder, _repository, "v9.9", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new HgBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
        error.Message.ShouldContain("v9.9");
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [RequiresToolsFact("hg")]
    public async Task Missing_repository_is_a_tool_failure_with_hgs_message()
    {
        BackendRequest request = VcsRequests.Create(_folder, _folder.Combine("no-such-repository"), "v1.0", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new HgBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("not found");
    }

    [RequiresToolsFact("hg")]
    public async Task Download_options_are_given_to_the_clone()
    {
        // A clone limited to v1.0 does not know the later changesets.
        BackendRequest request = VcsRequests.Create(_folder, _repository, _upstream.SecondCommit, _log) with { DlOpts = ["--rev", "v1.0"] };

        var error = await Should.ThrowAsync<BrdlException>(() => new HgBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
        _log.Details.ShouldContain(line => line.Contains("clone --rev v1.0 --noupdate", StringComparison.Ordinal));
    }

    [RequiresToolsFact("hg")]
    public async Task Commands_are_printed_unless_quiet()
    {
        BackendRequest loud = VcsRequests.Create(_folder, _repository, "v1.0", _log);
        await new HgBackend().FetchAsync(loud, CancellationToken.None);
        _log.Details.Count.ShouldBe(2);

        var quietLog = new RecordingLog();
        BackendRequest quiet = VcsRequests.Create(_folder, _repository, "v1.0", quietLog) with { Quiet = true };
        await new HgBackend().FetchAsync(quiet, CancellationToken.None);
        quietLog.Details.ShouldBeEmpty();
        File.Exists(quiet.OutputPath).ShouldBeTrue();
    }
}
