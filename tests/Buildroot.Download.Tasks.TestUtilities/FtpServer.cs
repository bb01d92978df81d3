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

    private readonly TemporaryFolder _folder = new("ftpd");
    private readonly LoopbackServerProcess _vsftpd;

    public FtpServer()
    {
        try
        {
            Root = _folder.Combine("root");
            Directory.CreateDirectory(Root);
            _vsftpd = LoopbackServerProcess.Start(VsftpdPath, port => [WriteConfig(port)]);
        }
        catch
        {
            _folder.Dispose();
            throw;
        }
    }

    public int Port => _vsftpd.Port;

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
        // Kills vsftpd with the process it forks for each connection.
        _vsftpd.Dispose();
        _folder.Dispose();
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private string WriteConfig(int port) =>
        _folder.WriteFile("vsftpd.conf", $"""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port={port}
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
}
