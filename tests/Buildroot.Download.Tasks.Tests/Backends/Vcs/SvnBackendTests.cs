using System.Globalization;
using System.Xml.Linq;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

public sealed class SvnBackendTests : IClassFixture<SvnUpstream>, IDisposable
{
    private readonly TemporaryFolder _folder = new("svn");
    private readonly RecordingLog _log = new();
    private readonly SvnUpstream _upstream;

    public SvnBackendTests(SvnUpstream upstream)
    {
        _upstream = upstream;
    }

    public void Dispose() => _folder.Dispose();

    [RequiresToolsFact("svn", "svnadmin", "svnserve", "gzip")]
    public async Task Revision_served_by_svnserve_gives_that_revisions_files_under_the_base_name()
    {
        using LoopbackServerProcess server = ServeWithSvnserve();
        string trunk = $"svn://127.0.0.1:{server.Port}/main/trunk";
        BackendRequest older = VcsRequests.Create(_folder, trunk, "1", _log);
        BackendRequest newer = VcsRequests.Create(_folder, trunk, "2", _log);

        await new SvnBackend().FetchAsync(older, CancellationToken.None);
        await new SvnBackend().FetchAsync(newer, CancellationToken.None);

        IReadOnlyDictionary<string, string> olderFiles = TarGzEntries.Files(older.OutputPath);
        olderFiles.Keys.ShouldBe(["foo-1/README", "foo-1/eol.txt", "foo-1/k.txt"], ignoreOrder: true);
        olderFiles["foo-1/README"].ShouldBe("one\n");
        TarGzEntries.Files(newer.OutputPath)["foo-2/README"].ShouldBe("two\n");
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Local_file_url_is_exported_too()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log);

        await new SvnBackend().FetchAsync(request, CancellationToken.None);

        TarGzEntries.Files(request.OutputPath)["foo-2/README"].ShouldBe("two\n");
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Keywords_are_not_expanded()
    {
        // The property is live: a plain export expands $Id$.
        string plainExport = _folder.Combine("plain");
        VcsTool.Run(_folder.Path, "svn", "export", "-q", _upstream.Trunk + "@2", plainExport);
        File.ReadAllText(Path.Combine(plainExport, "k.txt")).ShouldNotBe("id: $Id$\n");
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log);

        await new SvnBackend().FetchAsync(request, CancellationToken.None);

        TarGzEntries.Files(request.OutputPath)["foo-2/k.txt"].ShouldBe("id: $Id$\n");
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Externals_are_left_out_unless_asked_for()
    {
        BackendRequest without = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log);
        BackendRequest with = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log) with { SvnExternals = true };

        await new SvnBackend().FetchAsync(without, CancellationToken.None);
        await new SvnBackend().FetchAsync(with, CancellationToken.None);

        TarGzEntries.Files(without.OutputPath).Keys.ShouldNotContain(name => name.Contains("vendor", StringComparison.Ordinal));
        TarGzEntries.Files(with.OutputPath)["foo-2/vendor/x.txt"].ShouldBe("from the external\n");
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Every_entry_is_dated_with_the_revisions_last_changed_date_in_whole_seconds()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log);

        await new SvnBackend().FetchAsync(request, CancellationToken.None);

        var expected = new DateTimeOffset(2021, 6, 7, 8, 9, 10, TimeSpan.Zero);
        LastChangedDateBySvnInfo(_upstream.Trunk + "@2").ShouldBe(expected);
        TarGzEntries.Read(request.OutputPath).ShouldAllBe(entry => entry.ModificationTime == expected);
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Date_is_that_of_the_last_change_to_the_exported_path_not_of_the_revision_asked_for()
    {
        // r3 only added /branches: trunk@3 last changed in r2.
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Trunk, "3", _log);

        await new SvnBackend().FetchAsync(request, CancellationToken.None);

        TarGzEntries.Read(request.OutputPath).ShouldAllBe(entry => entry.ModificationTime == new DateTimeOffset(2021, 6, 7, 8, 9, 10, TimeSpan.Zero));
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Same_revision_exported_at_different_times_gives_the_same_bytes()
    {
        BackendRequest first = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log);
        BackendRequest second = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log);

        await new SvnBackend().FetchAsync(first, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the exported files get other mtimes
        await new SvnBackend().FetchAsync(second, CancellationToken.None);

        File.ReadAllBytes(second.OutputPath).ShouldBe(File.ReadAllBytes(first.OutputPath));
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Download_options_reach_the_export_and_leave_the_date_lookup_working()
    {
        // --native-eol is an export-only option: given to svn info it would fail.
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Trunk, "2", _log) with { DlOpts = ["--native-eol", "CRLF"] };

        await new SvnBackend().FetchAsync(request, CancellationToken.None);

        TarGzEntries.Files(request.OutputPath)["foo-2/eol.txt"].ShouldBe("line\r\n");
    }

    [RequiresToolsFact("svn", "svnadmin")]
    public async Task Unknown_revision_is_reported_as_such()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Trunk, "99", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new SvnBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.NoSuchChangeset);
        error.Message.ShouldContain("'99'");
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [RequiresToolsFact("svn", "svnadmin")]
    public async Task Missing_path_is_a_tool_failure_with_svns_message()
    {
        BackendRequest request = VcsRequests.Create(_folder, _upstream.Trunk.Replace("/trunk", "/tags/v1", StringComparison.Ordinal), "2", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new SvnBackend().FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("E170000");
    }

    [RequiresToolsFact("svn", "svnadmin", "gzip")]
    public async Task Svn_commands_are_printed_unless_quiet()
    {
        var quietLog = new RecordingLog();
        BackendRequest loud = VcsRequests.Create(_folder, _upstream.Trunk, "1", _log);
        BackendRequest quiet = VcsRequests.Create(_folder, _upstream.Trunk, "1", quietLog) with { Quiet = true };

        await new SvnBackend().FetchAsync(loud, CancellationToken.None);
        await new SvnBackend().FetchAsync(quiet, CancellationToken.None);

        _log.Details.ShouldContain(line => line.StartsWith("svn export --ignore-keywords --non-interactive --config-option servers:global:http-timeout=", StringComparison.Ordinal)
            && line.Contains(" --ignore-externals -- ", StringComparison.Ordinal));
        quietLog.Details.ShouldBeEmpty();
        File.Exists(quiet.OutputPath).ShouldBeTrue();
    }

    [Theory]
    [InlineData("<info><entry><commit revision=\"7\"><author>a</author><date>2019-03-04T05:06:07.999999Z</date></commit></entry></info>", "2019-03-04T05:06:07Z")]
    [InlineData("<info><entry><commit revision=\"7\"><date>2019-03-04T05:06:07.000000Z</date></commit></entry></info>", "2019-03-04T05:06:07Z")]
    public void Last_changed_date_is_read_from_svn_info_xml_and_cut_to_whole_seconds(string xml, string expected)
    {
        SvnBackend.LastChangedDate(xml, "svn://example.invalid/trunk@7")
            .ShouldBe(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("<info><entry><commit revision=\"7\"/></entry></info>")]
    [InlineData("svn: E170013: Unable to connect")]
    public void Svn_info_without_a_date_is_a_tool_failure_quoting_what_it_printed(string printed)
    {
        var error = Should.Throw<BrdlException>(() => SvnBackend.LastChangedDate(printed, "svn://example.invalid/trunk@7"));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain(printed);
    }

    private static DateTimeOffset LastChangedDateBySvnInfo(string target)
    {
        string xml = VcsTool.Run(Path.GetTempPath(), "svn", "info", "--xml", target);
        string date = XDocument.Parse(xml).Descendants("commit").Single().Element("date")!.Value;
        DateTimeOffset parsed = DateTimeOffset.Parse(date, CultureInfo.InvariantCulture);
        return new DateTimeOffset(parsed.Year, parsed.Month, parsed.Day, parsed.Hour, parsed.Minute, parsed.Second, TimeSpan.Zero);
    }

    private LoopbackServerProcess ServeWithSvnserve() =>
        LoopbackServerProcess.Start("svnserve", port =>
        [
            "-d", "--foreground", "--listen-host", "127.0.0.1",
            "--listen-port", port.ToString(CultureInfo.InvariantCulture),
            "-r", _upstream.RepositoriesRoot,
        ]);
}
