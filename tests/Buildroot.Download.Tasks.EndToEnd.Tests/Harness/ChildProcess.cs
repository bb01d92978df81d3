using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// A process started by a test (<c>dotnet build</c>, <c>flock</c>, <c>run.sh</c>): stdout and stderr
/// read concurrently into one transcript, each line also handed to an optional observer as it
/// arrives, a time limit after which the whole tree is killed, and Ctrl+C as a terminal sends it.
/// </summary>
internal sealed partial class ChildProcess : IDisposable
{
    private const int SigInt = 2;
    private const int SigKill = 9;

    private readonly Process _process;
    private readonly StringBuilder _transcript = new();
    private readonly Action<string>? _onLine;
    private readonly Task _readers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private ChildProcess(ProcessStartInfo startInfo, Action<string>? onLine)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        _onLine = onLine;
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        _readers = Task.WhenAll(PumpAsync(_process.StandardOutput), PumpAsync(_process.StandardError));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process ends (for racing against something the test waits for).</summary>
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>Everything printed so far, stdout and stderr interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_transcript)
            {
                return _transcript.ToString();
            }
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public static ChildProcess Start(ProcessStartInfo startInfo, Action<string>? onLine = null) => new(startInfo, onLine);

    /// <summary>Closes the child's standard input (a <c>cat</c> then ends; a build sees no terminal).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>
    /// Sends SIGINT, what Ctrl+C in a terminal sends to the foreground process. The process must
    /// have been started with SIGINT at its default (see <see cref="WithDefaultInterrupt"/>): one
    /// that inherited it ignored (a test run started as a background job of a script) would not notice.
    /// </summary>
    public void Interrupt() => Signal(SigInt, "SIGINT");

    /// <summary>SIGKILL to the process alone (not its children): a build killed without a chance to clean up.</summary>
    public void KillAbruptly() => Signal(SigKill, "SIGKILL");

    /// <summary>
    /// Starts <paramref name="startInfo"/>'s program with SIGINT at its default disposition, whatever
    /// this process has: a disposition of SIG_IGN is inherited through fork and exec (a shell
    /// starts background jobs so), and a process that starts with SIGINT ignored keeps it so (the
    /// .NET runtime installs no Ctrl+C handler then). A shell's <c>trap - INT</c> cannot undo an
    /// ignore inherited at its own start, so a small python3 helper resets it and execs the program
    /// in its place (same pid).
    /// </summary>
    public static ProcessStartInfo WithDefaultInterrupt(ProcessStartInfo startInfo)
    {
        var wrapped = new ProcessStartInfo("python3") { WorkingDirectory = startInfo.WorkingDirectory };
        wrapped.ArgumentList.Add("-c");
        wrapped.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
        wrapped.ArgumentList.Add(startInfo.FileName);
        foreach (string argument in startInfo.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        wrapped.Environment.Clear();
        foreach ((string name, string? value) in startInfo.Environment)
        {
            wrapped.Environment[name] = value;
        }

        return wrapped;
    }

    /// <summary>
    /// Starts <paramref name="startInfo"/>'s program on a pseudo-terminal of <paramref name="columns"/>
    /// by <paramref name="rows"/>, as in a developer's terminal (<c>TERM=xterm-256color</c>, no <c>CI</c>
    /// variable): what it writes, escape
    /// sequences and all, arrives as its output. A small python3 helper opens the terminal (python's
    /// <c>pty</c>), sizes it, runs the program on it and copies the terminal's output to its own.
    /// </summary>
    public static ProcessStartInfo OnTerminal(ProcessStartInfo startInfo, int columns = 160, int rows = 50)
    {
        const string Helper = """
            import fcntl, os, pty, struct, sys, termios
            columns, rows = int(sys.argv[1]), int(sys.argv[2])
            pid, master = pty.fork()
            if pid == 0:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, columns, 0, 0))
                os.execvp(sys.argv[3], sys.argv[3:])
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                os.write(1, data)
            _, status = os.waitpid(pid, 0)
            sys.exit(os.waitstatus_to_exitcode(status))
            """;
        var wrapped = new ProcessStartInfo("python3") { WorkingDirectory = startInfo.WorkingDirectory };
        foreach (string argument in (string[])["-c", Helper, columns.ToString(System.Globalization.CultureInfo.InvariantCulture), rows.ToString(System.Globalization.CultureInfo.InvariantCulture), startInfo.FileName, .. startInfo.ArgumentList])
        {
            wrapped.ArgumentList.Add(argument);
        }

        wrapped.Environment.Clear();
        foreach ((string name, string? value) in startInfo.Environment)
        {
            wrapped.Environment[name] = value;
        }

        wrapped.Environment["TERM"] = "xterm-256color";
        wrapped.Environment.Remove("CI");

        // Set by the MSBuild that runs `dotnet test` for the processes it starts: "0" keeps a child build off the terminal logger.
        wrapped.Environment.Remove("_MSBUILDTLENABLED");
        return wrapped;
    }

    /// <summary>
    /// Waits for the exit, killing the whole tree past <paramref name="limit"/> (and then throwing
    /// with the transcript, so a hung build says where it hung).
    /// </summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            throw new TimeoutException($"{_process.StartInfo.FileName} did not finish within {limit.TotalSeconds} s and was killed. Output so far:{Environment.NewLine}{Output}");
        }

        _clock.Stop();

        // A grandchild that outlives the build (a compiler server, say) may still hold our pipes open:
        // what the build itself printed is in them by now, so do not wait for their end forever.
        await Task.WhenAny(_readers, Task.Delay(TimeSpan.FromSeconds(5)));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }

    private void Signal(int signal, string name)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_transcript)
            {
                _transcript.AppendLine(line);
            }

            _onLine?.Invoke(line);
        }
    }
}
