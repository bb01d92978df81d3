using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A real FTP server on 127.0.0.1: Debian's <c>vsftpd</c> (package <c>vsftpd</c>) run in the
/// foreground as the current user, anonymous and read-only, serving <see cref="Root"/> on a
/// free port with passive mode. Every FTP command it receives is logged, so tests can see what
/// the client asked for. Stopped on <see cref="Dispose"/>.
/// </summary>
public sealed class FtpServer : IDisposable
{
    public const string VsftpdPath = "/usr/sbin/vsftpd";

    private static readonly TimeSpan StartTimeLimit = TimeSpan.FromSeconds(10);

    private readonly TemporaryFolder _folder = new("ftpd");
    private readonly Process _vsftpd;

    public FtpServer()
    {
        try
        {
            Root = _folder.Combine("root");
            Directory.CreateDirectory(Root);
            for (int attempt = 1; ; attempt++)
            {
                Port = FindFreePort();
                Process vsftpd = Start(WriteConfig());
                if (WaitUntilAnswering(vsftpd))
                {
                    _vsftpd = vsftpd;
                    break;
                }

                // Most likely someone took the port between our probe and vsftpd's bind.
                Stop(vsftpd);
                if (attempt == 3)
                {
                    throw new InvalidOperationException($"vsftpd did not start on port {Port}: {vsftpd.StandardError.ReadToEnd()}\n{Log}");
                }
            }
        }
        catch
        {
            _folder.Dispose();
            throw;
        }
    }

    public int Port { get; }

    /// <summary><c>ftp://127.0.0.1:&lt;port&gt;</c>, without a trailing slash.</summary>
    public string BaseUri => $"ftp://127.0.0.1:{Port}";

    /// <summary>The folder served as <c>/</c>; write files under it to serve them.</summary>
    public string Root { get; }

    /// <summary>vsftpd's log: connections, every FTP command and answer, transfers.</summary>
    public string Log => File.Exists(LogPath) ? ReadShared(LogPath) : string.Empty;

    /// <summary>The FTP commands received, in order (<c>USER anonymous</c>, <c>RETR a.tar.gz</c>, …).</summary>
    public IReadOnlyList<string> Commands =>
        Log.Split('\n')
            .Select(line => line.IndexOf("FTP command: Client \"127.0.0.1\", \"", StringComparison.Ordinal) is var at and >= 0
                ? line[(at + "FTP command: Client \"127.0.0.1\", \"".Length)..].TrimEnd('"', '\r')
                : null)
            .OfType<string>()
            .ToArray();

    private string LogPath => _folder.Combine("vsftpd.log");

    /// <summary>Writes <paramref name="content"/> at <paramref name="relativePath"/> under <see cref="Root"/> and returns its full path.</summary>
    public string Serve(string relativePath, byte[] content)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        Stop(_vsftpd);
        _vsftpd.Dispose();
        _folder.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            // vsftpd forks a process per connection: stop them all.
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static int FindFreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private string WriteConfig() =>
        _folder.WriteFile("vsftpd.conf", $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={Port}
            background=NO
            run_as_launching_user=YES
            seccomp_sandbox=NO
            anonymous_enable=YES
            no_anon_password=YES
            anon_root={Root}
            local_enable=NO
            write_enable=NO
            pasv_enable=YES
            pasv_address=127.0.0.1
            check_shell=NO
            xferlog_enable=YES
            log_ftp_protocol=YES
            vsftpd_log_file={LogPath}
            """ + "\n");

    private static Process Start(string config)
    {
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(VsftpdPath)
            {
                ArgumentList = { config },
                RedirectStandardInput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        process.Start();
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Ready when it greets a client with <c>220</c>.</summary>
    private bool WaitUntilAnswering(Process vsftpd)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeLimit && !vsftpd.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                client.ReceiveTimeout = 2000;
                using var reader = new StreamReader(client.GetStream());
                if (reader.ReadLine()?.StartsWith("220", StringComparison.Ordinal) == true)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
            }

            Thread.Sleep(20);
        }

        return false;
    }
}
