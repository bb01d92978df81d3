using Buildroot.Download.Tasks.TestUtilities;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests.Infrastructure;

public sealed class ProcessRunnerTests
{
    private readonly RecordingLog _log = new();

    [Fact]
    public async Task Arguments_reach_the_program_one_by_one_without_a_shell()
    {
        var runner = new ProcessRunner(_log);

        CommandResult result = await runner.RunAsync(
            new ExternalCommand("printf").WithArguments("%s|", "two words", "$HOME", "; rm -rf /", "-n"),
            CancellationToken.None);

        result.StandardOutput.ShouldBe("two words|$HOME|; rm -rf /|-n|");
    }

    [Fact]
    public async Task A_failing_program_is_a_coded_error_with_what_it_printed()
    {
        var runner = new ProcessRunner(_log);

        var error = await Should.ThrowAsync<BrdlException>(() => runner.RunAsync(
            new ExternalCommand("sh").WithArguments("-c", "echo broken pipe >&2; exit 3"),
            CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolFailed);
        error.Message.ShouldContain("exit code 3");
        error.Message.ShouldContain("broken pipe");
    }

    [Fact]
    public async Task A_missing_program_says_how_to_provide_it()
    {
        var runner = new ProcessRunner(_log);

        var error = await Should.ThrowAsync<BrdlException>(() => runner.RunAsync(
            new ExternalCommand("no-such-tool-brdl").WithMissingToolHint("Install it, or set BuildrootNoSuchToolPath."),
            CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolNotFound);
        error.Message.ShouldContain("BuildrootNoSuchToolPath");
    }

    [Fact]
    public async Task A_program_past_its_time_limit_is_killed_and_reported()
    {
        var runner = new ProcessRunner(_log);

        var error = await Should.ThrowAsync<BrdlException>(() => runner.RunAsync(
            new ExternalCommand("sleep").WithArguments("30").WithTimeout(TimeSpan.FromMilliseconds(200)),
            CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ToolTimedOut);
    }

    [Fact]
    public async Task Cancellation_stops_the_program_and_its_children()
    {
        using var folder = new TemporaryFolder("runner");
        string marker = folder.Combine("child-survived");
        var runner = new ProcessRunner(_log);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => runner.RunAsync(
            new ExternalCommand("sh").WithArguments("-c", "(sleep 2; touch \"$1\") & wait", "sh", marker),
            cancellation.Token));

        await Task.Delay(2500);
        File.Exists(marker).ShouldBeFalse("the child of the cancelled program ran on");
    }

    [Fact]
    public async Task Printed_command_lines_hide_credentials()
    {
        var runner = new ProcessRunner(_log);

        await runner.RunAsync(new ExternalCommand("true").WithArguments("https://user:s3cret@example.invalid/repo.git"), CancellationToken.None);

        _log.Details.ShouldHaveSingleItem().ShouldContain("https://***@example.invalid/repo.git");
        _log.Transcript.ShouldNotContain("s3cret");
    }

    [Fact]
    public async Task Printed_command_lines_hide_password_options()
    {
        var runner = new ProcessRunner(_log);

        await runner.RunAsync(new ExternalCommand("true").WithArguments("--username", "me", "--password", "s3cret", "--password=t0ken"), CancellationToken.None);

        _log.Details.ShouldHaveSingleItem().ShouldBe("true --username me --password '***' '--password=***'");
    }

    [Fact]
    public async Task Standard_output_can_go_straight_to_a_file()
    {
        using var folder = new TemporaryFolder("runner");
        string output = folder.Combine("out.txt");
        var runner = new ProcessRunner(_log);

        await runner.RunAsync(new ExternalCommand("echo").WithArguments("vendored").WithStandardOutputTo(output), CancellationToken.None);

        File.ReadAllText(output).ShouldBe("vendored\n");
    }

    [Fact]
    public async Task Standard_input_is_streamed_to_the_program_while_it_runs_then_closed()
    {
        using var folder = new TestUtilities.TemporaryFolder("runner");
        string output = folder.Combine("copy.bin");
        byte[] input = new byte[5 * 1024 * 1024]; // far more than a pipe holds: writing and reading must overlap
        new Random(7).NextBytes(input);
        var runner = new ProcessRunner(_log);

        await runner.RunAsync(
            new ExternalCommand("cat").WithStandardInput((stdin, token) => stdin.WriteAsync(input, token).AsTask()).WithStandardOutputTo(output),
            CancellationToken.None);

        File.ReadAllBytes(output).ShouldBe(input);
    }

    [Fact]
    public async Task A_failing_input_writer_stops_the_program_instead_of_ending_its_input()
    {
        using var folder = new TestUtilities.TemporaryFolder("runner");
        string marker = folder.Combine("input-looked-complete");
        var runner = new ProcessRunner(_log);

        await Should.ThrowAsync<InvalidOperationException>(() => runner.RunAsync(
            new ExternalCommand("sh").WithArguments("-c", "cat > /dev/null && touch \"$1\"", "sh", marker)
                .WithStandardInput(async (stdin, token) =>
                {
                    await stdin.WriteAsync(new byte[1000], token);
                    throw new InvalidOperationException("the source vanished");
                }),
            CancellationToken.None));

        await Task.Delay(200);
        File.Exists(marker).ShouldBeFalse("the program saw a clean end of a half-written input");
    }
}
