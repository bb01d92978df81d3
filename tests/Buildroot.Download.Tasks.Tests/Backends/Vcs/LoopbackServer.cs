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
        int port = FreePort();
        var startInfo = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments(port))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var server = new LoopbackServer(Process.Start(startInfo)!, port);
        server._process.StandardInput.Close();
        server._process.ErrorDataReceived += (_, e) => { lock (server._errors) { server._errors.AppendLine(e.Data); } };
        server._process.OutputDataReceived += (_, _) => { };
        server._process.BeginErrorReadLine();
        server._process.BeginOutputReadLine();
        try
        {
            server.WaitUntilAccepting();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return server;
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
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void WaitUntilAccepting()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode}: {Errors}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not accept connections on 127.0.0.1:{Port}: {Errors}");
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
