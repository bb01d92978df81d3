using System.Globalization;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>
/// A local CVS repository with module <c>foo</c>, made once: imported with a.txt "one" and
/// sub/b.txt, tagged <c>v1_0</c>, then a.txt changed to "two" at least a second later.
/// </summary>
public sealed class CvsUpstream : IDisposable
{
    private readonly TemporaryFolder _folder = new("cvs-upstream");

    public CvsUpstream()
    {
        Root = ":local:" + _folder.Combine("cvsroot");
        if (ToolAvailability.Find("cvs") is null)
        {
            return; // The tests skip themselves.
        }

        VcsTool.Run(_folder.Path, "cvs", "-d", Root, "init");
        _folder.WriteFile("import/a.txt", "one\n");
        _folder.WriteFile("import/sub/b.txt", "in a folder\n");
        VcsTool.Run(_folder.Combine("import"), "cvs", "-Q", "-d", Root, "import", "-m", "first", "foo", "vendor", "start");
        VcsTool.Run(_folder.Path, "cvs", "-Q", "-d", Root, "checkout", "-d", "work", "foo");
        VcsTool.Run(_folder.Combine("work"), "cvs", "-Q", "tag", "v1_0");

        // CVS dates have whole seconds: the change must land in a later second than this one.
        DateTime now = DateTime.UtcNow;
        BetweenTheCommits = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        Thread.Sleep(BetweenTheCommits.AddSeconds(1.05) - DateTime.UtcNow);
        _folder.WriteFile("work/a.txt", "two\n");
        VcsTool.Run(_folder.Combine("work"), "cvs", "-Q", "commit", "-m", "second");
    }

    /// <summary>A <c>:local:</c> CVSROOT.</summary>
    public string Root { get; }

    /// <summary>A moment (UTC) after the import and tag, before the change to "two".</summary>
    public DateTime BetweenTheCommits { get; }

    public void Dispose() => _folder.Dispose();
}

public sealed class CvsBackendTests : IClassFixture<CvsUpstream>, IDisposable
{
    private readonly TemporaryFolder _folder = new("cvs");
    private readonly RecordingLog _log = new();
    private readonly CvsUpstream _upstream;

    public CvsBackendTests(CvsUpstream upstream)
    {
        _upstream = upstream;
    }

    public void Dispose() => _folder.Dispose();

    [RequiresToolsFact("cvs", "tar")]
    public async Task Tag_checks_out_the_tagged_files_of_the_module_named_after_the_package()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Root, "v1_0", _log);

        await new CvsBackend().FetchAsync(request, CancellationToken.None);

        IReadOnlyDictionary<string, string> files = TarGzEntries.Files(request.OutputPath);
        files["foo-v1_0/a.txt"].ShouldBe("one\n");
        files["foo-v1_0/sub/b.txt"].ShouldBe("in a folder\n");
        files.Keys.ShouldAllBe(name => name.StartsWith("foo-v1_0/", StringComparison.Ordinal));
    }

    [RequiresToolsFact("cvs", "tar")]
    public async Task Changeset_starting_with_a_digit_is_a_date_in_utc()
    {
        string between = _upstream.BetweenTheCommits.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        BackendRequest before = VcsRequests.Create(_folder, _upstream.Root, between, _log);
        BackendRequest after = VcsRequests.Create(_folder, _upstream.Root, "2100-01-01", _log);

        await new CvsBackend().FetchAsync(before, CancellationToken.None);
        await new CvsBackend().FetchAsync(after, CancellationToken.None);

        TarGzEntries.Files(before.OutputPath)[$"{before.BaseName}/a.txt"].ShouldBe("one\n");
        TarGzEntries.Files(after.OutputPath)["foo-2100-01-01/a.txt"].ShouldBe("two\n");
        _log.Details.ShouldContain(line => line.Contains("-D '" + between + "'", StringComparison.Ordinal));
    }

    [RequiresToolsFact("cvs", "tar")]
    public async Task Head_is_a_tag_and_gives_the_latest_files()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Root, "HEAD", _log);

        await new CvsBackend().FetchAsync(request, CancellationToken.None);

        TarGzEntries.Files(request.OutputPath)["foo-HEAD/a.txt"].ShouldBe("two\n");
        _log.Details.ShouldContain(line => line.Contains("-r HEAD", StringComparison.Ordinal));
    }

    [RequiresToolsFact("cvs")]
    public async Task Unknown_tag_is_reported_as_such()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Root, "v9_9", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new CvsBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
        error.Message.ShouldContain("v9_9");
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [RequiresToolsFact("cvs")]
    public async Task Date_before_the_first_commit_is_refused_rather_than_archiving_nothing()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Root, "1999-12-31", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new CvsBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [RequiresToolsFact("cvs")]
    public async Task Module_missing_from_the_repository_is_a_tool_failure_with_cvss_message()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Root, "v1_0", _log, name: "bar");

        var error = await Should.ThrowAsync<BrdlException>(() => new CvsBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("cannot find module `bar'");
    }

    [RequiresToolsFact("cvs", "tar")]
    public async Task Quiet_request_prints_nothing_and_passes_quiet_to_cvs()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Root, "v1_0", _log) with { Quiet = true };

        await new CvsBackend().FetchAsync(request, CancellationToken.None);

        _log.Details.ShouldBeEmpty();
        TarGzEntries.Files(request.OutputPath)["foo-v1_0/a.txt"].ShouldBe("one\n");
    }

    [RequiresToolsFact("cvs", "tar")]
    public async Task Download_options_go_to_the_checkout_command()
    {
        // -kk: keyword expansion mode of the checkout, valid only after "checkout".
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Root, "v1_0", _log) with { DlOpts = ["-kk"] };

        await new CvsBackend().FetchAsync(request, CancellationToken.None);

        _log.Details.ShouldContain(line => line.Contains("checkout -kk -d foo-v1_0 -r v1_0 -P -- foo", StringComparison.Ordinal));
    }

    [RequiresToolsFact("cvs")]
    public async Task A_pserver_that_accepts_and_never_answers_is_given_up_at_the_stall_limit()
    {
        // Buildroot's own limit is "timeout 10m"; the stall limit stops a dead server much sooner.
        using var server = new SilentTcpServer();
        BackendRequest request = VcsRequests.Create(_folder, $":pserver:anonymous@127.0.0.1:{server.Port}/cvsroot", "v1_0", _log) with
        {
            Limits = new TransferLimits(TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Should.ThrowAsync<BrdlException>(() => new CvsBackend().FetchAsync(request, CancellationToken.None));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        error.Code.ShouldBe(MessageCodes.ToolStalled, error.Message);
        error.Scope.ShouldBe(FailureScope.Attempt);
        server.AcceptedConnections.ShouldBe(1);
    }
}
