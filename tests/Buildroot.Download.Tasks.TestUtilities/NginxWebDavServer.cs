namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A real HTTP store on 127.0.0.1: Debian's nginx (package <c>nginx</c>, built with its WebDAV
/// module) in the foreground, with a configuration generated for this run, serving
/// <see cref="Root"/> on a free port. Three places:
/// <list type="bullet">
/// <item><c>/cache/</c>: read and write (<c>GET</c>, <c>PUT</c> with missing folders created);</item>
/// <item><c>/readonly/</c>: read only, a <c>PUT</c> gets 403;</item>
/// <item><c>/private/</c>: read and write with <c>Authorization: Bearer &lt;<see cref="Token"/>&gt;</c>, else 401.</item>
/// </list>
/// Every request is logged (<see cref="AccessLog"/>: method, path, status, the Authorization
/// header's presence only). Stopped with its workers on <see cref="Dispose"/>.
/// </summary>
public sealed class NginxWebDavServer : IDisposable
{
    public const string NginxPath = "/usr/sbin/nginx";

    private readonly TemporaryFolder _folder = new("nginx");
    private readonly LoopbackServerProcess _nginx;

    public NginxWebDavServer()
    {
        try
        {
            Root = _folder.Combine("root");
            foreach (string place in new[] { "cache", "readonly", "private" })
            {
                Directory.CreateDirectory(Path.Combine(Root, place));
            }

            _nginx = LoopbackServerProcess.Start(NginxPath, port => ["-e", "stderr", "-p", _folder.Path, "-c", WriteConfig(port)]);
        }
        catch
        {
            _folder.Dispose();
            throw;
        }
    }

    /// <summary>The bearer token <c>/private/</c> wants: different on every run.</summary>
    public string Token { get; } = $"nginx-token-{Guid.NewGuid():N}";

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>, without a trailing slash.</summary>
    public string BaseUri => $"http://127.0.0.1:{_nginx.Port}";

    /// <summary>The folder served as <c>/</c>.</summary>
    public string Root { get; }

    /// <summary>One line per request: <c>PUT /cache/ab… 201 auth=-</c>.</summary>
    public IReadOnlyList<string> AccessLog =>
        File.Exists(AccessLogPath) ? File.ReadAllLines(AccessLogPath) : [];

    /// <summary>
    /// The first access log line that matches, waiting for it: nginx writes a line when it has
    /// finished with a request, which for a refused upload can be a moment after the client got
    /// its answer. Throws after 20 s without one.
    /// </summary>
    public string WaitForAccessLog(Func<string, bool> match)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (AccessLog.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"No matching access log line after 20 s: {string.Join('\n', AccessLog)}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>What nginx printed (its error log), for assertion messages.</summary>
    public string Output => _nginx.Output;

    private string AccessLogPath => _folder.Combine("access.log");

    /// <summary>The file stored at <paramref name="relativePath"/> (e.g. <c>cache/&lt;sha256&gt;</c>), or null.</summary>
    public byte[]? Stored(string relativePath)
    {
        string path = Path.Combine(Root, relativePath);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <summary>Puts <paramref name="content"/> at <paramref name="relativePath"/> directly on disk.</summary>
    public void Place(string relativePath, byte[] content)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    public void Dispose()
    {
        _nginx.Dispose();
        _folder.Dispose();
    }

    private string WriteConfig(int port)
    {
        // As root, nginx would run its workers as nobody, who cannot write the test's folders.
        string user = Environment.UserName == "root" ? "user root root;" : string.Empty;
        string temp = _folder.Combine("temp");
        Directory.CreateDirectory(temp);
        return _folder.WriteFile("nginx.conf", $$"""
            {{user}}
            daemon off;
            worker_processes 1;
            pid {{_folder.Combine("nginx.pid")}};
            error_log stderr notice;
            events { worker_connections 64; }
            http {
                log_format brdl '$request_method $uri $status auth=$brdl_auth';
                map $http_authorization $brdl_auth { "" "-"; default "present"; }
                access_log {{AccessLogPath}} brdl;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                client_max_body_size 0;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{Root}};
                    location /cache/ {
                        dav_methods PUT;
                        create_full_put_path on;
                        dav_access user:rw group:r all:r;
                    }
                    location /readonly/ {
                        limit_except GET HEAD { deny all; }
                    }
                    location /private/ {
                        if ($http_authorization != "Bearer {{Token}}") { return 401; }
                        dav_methods PUT;
                        create_full_put_path on;
                    }
                }
            }
            """ + "\n");
    }
}
