using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>
/// A real server process (svnserve, hg serve) on 127.0.0.1, on a port that was free a moment
/// before: started by a test, ready once it accepts a connection, and killed with its children
/// on dispose, whatever the test's outcome.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private const int Attempts = 3;

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private LoopbackServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <param name="tool">The server program.</param>
    /// <param name="arguments">Its arguments, given the port to listen on.</param>
    public static LoopbackServer Start(string tool, Func<int, IEnumerable<string>> arguments)
    {
        // The port is free when chosen, but any process on the machine may take it before the
        // server binds it: a server that exits instead of listening is tried again on another.
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            LoopbackServer server = Launch(tool, arguments(port), port);
            try
            {
                server.WaitUntilAccepting();
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

    private static LoopbackServer Launch(string tool, IEnumerable<string> arguments, int port)
    {
        var startInfo = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var server = new LoopbackServer(Process.Start(startInfo)!, port);
        server._process.StandardInput.Close();
        server._process.ErrorDataReceived += (_, e) => server.RecordError(e.Data);
        server._process.OutputDataReceived += (_, _) => { };
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        return server;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitUntilAccepting()
    {
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
            }
            catch (SocketException)
            {
                ThrowIfExited();
                Thread.Sleep(50);
                continue;
            }

            // Whoever answered, it was not our server if that has exited meanwhile.
            ThrowIfExited();
            return;
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not accept connections on 127.0.0.1:{Port}: {Errors}");
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} instead of listening on 127.0.0.1:{Port}: {Errors}");
        }
    }

    private void RecordError(string? line)
    {
        lock (_errors)
        {
            _errors.AppendLine(line);
        }
    }

    private string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }
}
