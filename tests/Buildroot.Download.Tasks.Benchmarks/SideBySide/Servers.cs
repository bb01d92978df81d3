using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>
/// The servers the rows start on loopback (through the tests' <see cref="LoopbackServerProcess"/>):
/// nginx for large files (it sends them with sendfile, so the server takes as little of the 2
/// cores as a server can), and <c>git daemon</c> for git.
/// </summary>
internal static class Servers
{
    public static string? Find(string program) =>
        new[] { "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin" }
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    /// <summary>nginx serving <paramref name="root"/> on 127.0.0.1, in the foreground of its own process.</summary>
    public static LoopbackServerProcess Nginx(string nginx, string root, string stateFolder)
    {
        Directory.CreateDirectory(stateFolder);
        string config = Path.Combine(stateFolder, "nginx.conf");
        return LoopbackServerProcess.Start(nginx, port =>
        {
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
            return ["-c", config, "-p", stateFolder];
        });
    }

    /// <summary><c>git daemon</c> exporting every repository under <paramref name="basePath"/>.</summary>
    public static LoopbackServerProcess GitDaemon(string basePath) =>
        LoopbackServerProcess.Start(
            Find("git") ?? "git",
            port => ["daemon", "--reuseaddr", "--export-all", $"--base-path={basePath}", "--listen=127.0.0.1", $"--port={port}", basePath]);
}
