using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests.Download;

/// <summary>
/// The lines a user reads while a file comes: the first when bytes start (with the size the server
/// announced), a progress line with bytes, share, rate and time left, a heartbeat for a tool, and
/// the last line. The moments are given to <see cref="TransferProgress.ProgressLine"/>, so nothing
/// here depends on a clock.
/// </summary>
public sealed class TransferProgressTests
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private readonly RecordingLog _log = new();

    [Fact]
    public void A_transfer_says_where_from_and_how_big_then_how_far_it_is()
    {
        using var progress = new TransferProgress(_log, "zlib", "zlib-1.3.1.tar.gz", "https://zlib.net", "built-in http client", quiet: false, interval: Never);

        progress.Receiving(4 * 1024 * 1024);
        progress.Received(1024 * 1024);

        _log.Messages.ShouldBe(["zlib: downloading zlib-1.3.1.tar.gz, 4 MiB, from https://zlib.net (built-in http client)"]);
        string line = progress.ProgressLine(TimeSpan.FromSeconds(100)).ShouldNotBeNull();
        line.ShouldStartWith("zlib: zlib-1.3.1.tar.gz: 1 MiB of 4 MiB (25%), ");
        line.ShouldEndWith(" left");
    }

    [Fact]
    public void A_transfer_of_unknown_size_says_bytes_and_rate_only()
    {
        using var progress = new TransferProgress(_log, "zlib", "zlib.tar.gz", "https://zlib.net", "built-in http client", quiet: false, interval: Never);

        progress.Receiving(null);
        progress.Received(3000);

        _log.Messages.ShouldBe(["zlib: downloading zlib.tar.gz from https://zlib.net (built-in http client)"]);
        string line = progress.ProgressLine(TimeSpan.FromSeconds(1000)).ShouldNotBeNull();
        line.ShouldStartWith("zlib: zlib.tar.gz: 2.93 KiB, ");
        line.ShouldNotContain(" of ");
        line.ShouldNotContain("left");
    }

    [Fact]
    public void A_tool_gets_a_heartbeat_naming_it()
    {
        using var progress = new TransferProgress(_log, "foo", "foo-1.0.tar.gz", "https://example.org/foo.git", "git", quiet: false, interval: Never);

        progress.ToolStarted("git");

        _log.Messages.ShouldBe(["foo: downloading foo-1.0.tar.gz from https://example.org/foo.git (git)"]);
        progress.ProgressLine(TimeSpan.FromSeconds(75)).ShouldBe("foo: foo-1.0.tar.gz: git still running after 1 min 15 s");
    }

    [Fact]
    public void The_last_line_gives_size_site_what_fetched_and_the_check()
    {
        using var progress = new TransferProgress(_log, "zlib", "zlib-1.3.1.tar.gz", "https://zlib.net", "built-in http client", quiet: false, interval: Never);
        progress.Receiving(1536);

        progress.Completed(1536, "sha256 verified");

        _log.Messages[^1].ShouldStartWith("zlib: zlib-1.3.1.tar.gz: 1.5 KiB in ");
        _log.Messages[^1].ShouldEndWith(" from https://zlib.net (built-in http client), sha256 verified");
    }

    [Fact]
    public void Quiet_prints_only_the_last_line()
    {
        using var progress = new TransferProgress(_log, "zlib", "zlib-1.3.1.tar.gz", "https://zlib.net", "built-in http client", quiet: true, interval: Never);
        progress.Receiving(1536);

        progress.Completed(1536, "sha256 verified");

        _log.Messages.ShouldHaveSingleItem().ShouldContain("1.5 KiB in ");
    }

    [Fact]
    public void A_server_announcing_an_absurd_size_then_trickling_gets_no_time_left_and_no_crash()
    {
        // This line is printed by a timer: an exception there ends the whole MSBuild node.
        using var progress = new TransferProgress(_log, "zlib", "zlib.tar.gz", "https://zlib.net", "built-in http client", quiet: false, interval: Never);

        progress.Receiving(long.MaxValue);
        progress.Received(1);

        string line = progress.ProgressLine(TimeSpan.FromSeconds(10)).ShouldNotBeNull();
        line.ShouldStartWith("zlib: zlib.tar.gz: 1 byte of ");
        line.ShouldNotContain("left");
    }

    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(1, "1 byte")]
    [InlineData(1023, "1023 bytes")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(30 * 1024 * 1024 + 300 * 1024, "30.3 MiB")]
    [InlineData(500L * 1024 * 1024, "500 MiB")]
    public void Sizes_read_as_wget_prints_them(long bytes, string expected) => TransferFigures.Size(bytes).ShouldBe(expected);

    [Theory]
    [InlineData(0.42, "0.4 s")]
    [InlineData(12.4, "12 s")]
    [InlineData(81, "1 min 21 s")]
    [InlineData(3720, "1 h 2 min")]
    public void Durations_read_as_a_person_says_them(double seconds, string expected) =>
        TransferFigures.Duration(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
}
