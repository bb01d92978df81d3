using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Runs an <see cref="ExternalCommand"/>: prints it, feeds it no input unless the command brings
/// a writer for it (so a tool that would prompt for a password fails instead of hanging the
/// build), reads stdout and stderr at once, watches a network tool for stalls
/// (<see cref="StallWatchdog"/>), and on cancellation, time-out or stall kills the whole process tree.
/// Every git, svn, hg, bzr, cvs, curl, scp, sftp, gzip, cargo and go call goes through here.
/// </summary>
internal sealed class ProcessRunner
{
    private readonly IBuildLog _log;
    private readonly ITransferProgress _progress;

    public ProcessRunner(IBuildLog log)
        : this(log, ITransferProgress.None)
    {
    }

    private ProcessRunner(IBuildLog log, ITransferProgress progress)
    {
        _log = log;
        _progress = progress;
    }

    /// <summary>A runner that tells <paramref name="progress"/> each tool it starts (so a long one gets a heartbeat).</summary>
    public ProcessRunner ReportingTo(ITransferProgress progress) => new(_log, progress);

    public async Task<CommandResult> RunAsync(ExternalCommand command, CancellationToken cancellationToken)
    {
        if (!command.Quiet)
        {
            _log.Detail(command.ToString());
        }

        using var process = new Process { StartInfo = CreateStartInfo(command) };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new BrdlException(
                FailureScope.Build,
                MessageCodes.ToolNotFound,
                $"Cannot run '{command.FileName}': {e.Message}. {command.MissingToolHint ?? "Install it or put it on PATH."}",
                e);
        }

        _progress.ToolStarted(Path.GetFileName(command.FileName));
        using var timeout = command.Timeout is { } limit
            ? new CancellationTokenSource(limit)
            : new CancellationTokenSource();
        using StallWatchdog? watchdog = command.StallLimit is { } window ? StallWatchdog.Start(process.Id, window) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, watchdog?.Stalled ?? CancellationToken.None);

        Task<string> standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);
        Task<string> standardOutput = command.StandardOutputPath is null
            ? process.StandardOutput.ReadToEndAsync(CancellationToken.None)
            : CopyToFileAsync(process.StandardOutput.BaseStream, command.StandardOutputPath);
        Task standardInput = FeedStandardInputAsync(process, command.StandardInputWriter, linked.Token);

        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await Task.WhenAny(standardInput).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            string said = await LastWordsAsync(standardError).ConfigureAwait(false);
            throw watchdog is { HasStalled: true }
                ? new BrdlException(
                    FailureScope.Attempt,
                    MessageCodes.ToolStalled,
                    $"'{command}' made no progress for {TransferLimits.Format(watchdog.Window)} (it and its children moved less than {TransferLimits.ProgressBytes} bytes and used almost no CPU); " +
                    $"it was stopped. If the server is only slow to start sending, raise {TransferLimits.StallProperty}.{said}")
                : new BrdlException(
                    FailureScope.Attempt,
                    MessageCodes.ToolTimedOut,
                    $"'{command}' did not finish within {TransferLimits.Format(command.Timeout ?? TimeSpan.Zero)}; it was stopped. Raise {TransferLimits.OverallProperty} if it needs longer.{said}");
        }

        var result = new CommandResult(
            process.ExitCode,
            await standardOutput.ConfigureAwait(false),
            await standardError.ConfigureAwait(false));

        try
        {
            await standardInput.ConfigureAwait(false);
        }
        catch (IOException) when (!result.Succeeded)
        {
            // The program stopped reading because it failed; its own error says more than "broken pipe".
        }

        if (command.ThrowOnFailure && !result.Succeeded)
        {
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.ToolFailed,
                $"'{command}' failed with exit code {result.ExitCode}: {SecretRedactor.Redact(LastLines(result.StandardError))}");
        }

        return result;
    }

    /// <summary>What a stopped tool had said (a prompt it was waiting on, say), once its pipes closed.</summary>
    private static async Task<string> LastWordsAsync(Task<string> standardError)
    {
        await Task.WhenAny(standardError, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        if (!standardError.IsCompletedSuccessfully)
        {
            return string.Empty;
        }

        string said = await standardError.ConfigureAwait(false);
        return said.Trim().Length == 0 ? string.Empty : $" It had said: {SecretRedactor.Redact(LastLines(said))}";
    }

    /// <summary>
    /// The start of <paramref name="command"/>: its arguments as a list (never a shell string), its
    /// environment on top of this process's, every stream redirected. Also what the benchmarks start.
    /// </summary>
    internal static ProcessStartInfo CreateStartInfo(ExternalCommand command)
    {
        var startInfo = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = command.WorkingDirectory ?? string.Empty,
        };
        foreach (string argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in command.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    /// <summary>
    /// Runs the command's input writer, then closes the program's input so it sees the end.
    /// If the writer fails for any reason other than the pipe itself, the program is killed:
    /// half an input must never pass for a whole one.
    /// </summary>
    private static async Task FeedStandardInputAsync(
        Process process,
        Func<Stream, CancellationToken, Task>? writer,
        CancellationToken cancellationToken)
    {
        StreamWriter input = process.StandardInput;
        try
        {
            if (writer is not null)
            {
                await writer(input.BaseStream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not IOException)
        {
            KillTree(process);
            throw;
        }
        finally
        {
            try
            {
                input.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Nothing is buffered in the writer, and a program that already exited (or a
                // writer that closed the stream itself) leaves nothing more to tell.
            }
        }
    }

    private static async Task<string> CopyToFileAsync(Stream source, string path)
    {
        await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        await source.CopyToAsync(target).ConfigureAwait(false);
        return string.Empty;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own between the cancellation and the kill.
        }
    }

    /// <summary>
    /// The end of a tool's error output, where it says what went wrong: what an error message
    /// quotes of a failed command — its last lines, and of those no more than a screenful.
    /// </summary>
    internal static string LastLines(string text, int count = 15)
    {
        const int MostCharacters = 4000;
        string[] lines = text.TrimEnd().Split('\n');
        string end = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)));
        return end.Length <= MostCharacters ? end : "…" + end[^MostCharacters..];
    }
}
