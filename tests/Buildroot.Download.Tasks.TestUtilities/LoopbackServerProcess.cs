using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A real server program (vsftpd, sshd, …) on 127.0.0.1, on a port that was free a moment before:
/// ready once it accepts a connection, its output kept for assertion messages, and killed with
/// its per-connection children on <see cref="Dispose"/>, whatever the test's outcome.
/// </summary>
public sealed class LoopbackServerProcess : IDisposable
{
    private const int Attempts = 3;
    private static readonly TimeSpan DefaultStartTimeLimit = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private LoopbackServerProcess(ProcessStartInfo startInfo, int port)
    {
        Port = port;
        _process = new Process { StartInfo = startInfo };
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Port { get; }

    /// <summary>The server's process id: what tells that it stopped, since its port may be taken by another test's server at once.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the server printed on its standard output and error, line by line.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <param name="tool">The server program, by absolute path (sshd re-executes itself from it).</param>
    /// <param name="arguments">Its arguments, given the port to listen on.</param>
    /// <param name="startTimeLimit">
    /// How long it may take to listen (15 s by default; a node server loading hundreds of
    /// modules on a machine busy with other tests needs longer).
    /// </param>
    public static LoopbackServerProcess Start(string tool, Func<int, IEnumerable<string>> arguments, TimeSpan? startTimeLimit = null)
    {
        // The port is free when chosen, but any process on the machine may take it before the
        // server binds it: a server that exits instead of listening is tried again on another.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var startInfo = new ProcessStartInfo(tool)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in arguments(port))
            {
                startInfo.ArgumentList.Add(argument);
            }

            var server = new LoopbackServerProcess(startInfo, port);
            try
            {
                server.WaitUntilAccepting(startTimeLimit ?? DefaultStartTimeLimit);
                return server;
            }
            catch (InvalidOperationException) when (attempt < Attempts)
            {
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private void WaitUntilAccepting(TimeSpan startTimeLimit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < startTimeLimit)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
            }
            catch (SocketException)
            {
                ThrowIfExited();
                Thread.Sleep(20);
                continue;
            }

            // Whoever answered, it was not our server if that has exited meanwhile.
            ThrowIfExited();
            return;
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not accept connections on 127.0.0.1:{Port} after {startTimeLimit.TotalSeconds} s: {Output}");
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            _process.WaitForExit(); // flushes the asynchronous readers
            throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} instead of listening on 127.0.0.1:{Port}: {Output}");
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
