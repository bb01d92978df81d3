using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// A server the benchmark starts on loopback and stops at the end: nginx for large files (it
/// sends them with sendfile, so the server costs the 2 cores as little as a server can), and
/// <c>git daemon</c> for git.
/// </summary>
internal sealed class BackgroundServer : IDisposable
{
    private readonly Process _process;

    private BackgroundServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static string? Find(string program) =>
        new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" }
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    /// <summary>nginx serving <paramref name="root"/> on 127.0.0.1, in the foreground of its own process.</summary>
    public static BackgroundServer Nginx(string nginx, string root, string stateFolder)
    {
        int port = FreePort();
        Directory.CreateDirectory(stateFolder);
        string config = Path.Combine(stateFolder, "nginx.conf");
        File.WriteAllText(config, $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            error_log {{stateFolder}}/error.log;
            pid {{stateFolder}}/nginx.pid;
            events { worker_connections 256; }
            http {
              access_log off;
              sendfile on;
              tcp_nopush on;
              client_body_temp_path {{stateFolder}}/body;
              proxy_temp_path {{stateFolder}}/proxy;
              fastcgi_temp_path {{stateFolder}}/fastcgi;
              uwsgi_temp_path {{stateFolder}}/uwsgi;
              scgi_temp_path {{stateFolder}}/scgi;
              types { application/octet-stream bin; }
              server { listen 127.0.0.1:{{port}}; root {{root}}; }
            }
            """);
        return Start(nginx, ["-c", config, "-p", stateFolder], port);
    }

    /// <summary><c>git daemon</c> exporting every repository under <paramref name="basePath"/>.</summary>
    public static BackgroundServer GitDaemon(string basePath)
    {
        int port = FreePort();
        return Start("git", ["daemon", "--reuseaddr", "--export-all", $"--base-path={basePath}", "--listen=127.0.0.1", $"--port={port}", basePath], port);
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        _process.Dispose();
    }

    private static BackgroundServer Start(string program, string[] arguments, int port)
    {
        var startInfo = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var server = new BackgroundServer(Process.Start(startInfo)!, port);
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(20); Thread.Sleep(50))
        {
            if (server._process.HasExited)
            {
                throw new InvalidOperationException($"{program} exited at once (code {server._process.ExitCode}).");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
        }

        server.Dispose();
        throw new InvalidOperationException($"{program} did not listen on port {port} within 20 s.");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
