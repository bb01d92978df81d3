using System.Diagnostics;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 for scp and sftp downloads: <c>/usr/sbin/sshd -D -e</c> run
/// as the current user with its own configuration, a fresh host key and one fresh ed25519 user
/// key, on a free port. It serves the whole file system to that user (sftp through sshd's
/// built-in <c>internal-sftp</c>), so a test serves a file simply by writing it somewhere.
/// <para>
/// Use it as <c>using var sshd = new SshServer();</c> or as an xunit class fixture, then give a
/// package <see cref="ScpSite"/> or <see cref="SftpSite"/> of the folder holding the file and
/// <see cref="DlOpts"/> (<see cref="DlOptsText"/> in MSBuild metadata). The server is stopped,
/// with any session it still runs, on <see cref="Dispose"/>.
/// </para>
/// <para>
/// As root, sshd insists on its privilege separation folder <c>/run/sshd</c> (made by the
/// service scripts on a normal system, missing in a container); the fixture creates it when
/// absent. Needs the <c>openssh-server</c> and <c>openssh-client</c> Debian packages.
/// </para>
/// </summary>
public sealed class SshServer : IDisposable
{
    /// <summary>Where Debian's openssh-server puts sshd: name it in <c>[RequiresToolsFact(SshServer.SshdPath, "scp")]</c>.</summary>
    public const string SshdPath = "/usr/sbin/sshd";

    private const string PrivilegeSeparationFolder = "/run/sshd";

    private readonly TemporaryFolder _folder = new("sshd");
    private readonly LoopbackServerProcess _sshd;

    public SshServer()
    {
        try
        {
            string hostKey = _folder.Combine("ssh_host_ed25519_key");
            UserKeyPath = _folder.Combine("id_ed25519");
            GenerateKey(hostKey);
            GenerateKey(UserKeyPath);
            File.Copy(UserKeyPath + ".pub", _folder.Combine("authorized_keys"));
            EnsurePrivilegeSeparationFolder();

            _sshd = LoopbackServerProcess.Start(SshdPath, port => ["-D", "-e", "-f", WriteConfig(hostKey, port)]);
        }
        catch
        {
            _folder.Dispose();
            throw;
        }
    }

    public string Host => "127.0.0.1";

    public int Port => _sshd.Port;

    /// <summary>The listening sshd's process id.</summary>
    public int ProcessId => _sshd.ProcessId;

    /// <summary>The private key the server accepts (its public half is the only authorized key).</summary>
    public string UserKeyPath { get; }

    /// <summary>The user to log in as: whoever runs the tests (sshd runs as that user too).</summary>
    public string UserName => Environment.UserName;

    /// <summary>
    /// Client options (for <c>scp</c> and <c>sftp</c> alike) that reach this server without a prompt
    /// and without touching <c>~/.ssh/known_hosts</c>: a package's <c>DlOpts</c>.
    /// </summary>
    public IReadOnlyList<string> DlOpts =>
    [
        "-P", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-i", UserKeyPath,
        "-o", "IdentitiesOnly=yes",
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes",
        "-o", "LogLevel=ERROR",
    ];

    /// <summary><see cref="DlOpts"/> as one space-separated string (the key path holds no spaces).</summary>
    public string DlOptsText => string.Join(' ', DlOpts);

    /// <summary>What sshd printed (connections, authentication), for assertion messages.</summary>
    public string Log => _sshd.Output;

    /// <summary>
    /// A Buildroot <c>scp</c> site for an absolute <paramref name="folder"/>: <c>scp://127.0.0.1:/folder</c>
    /// (the backend strips <c>scp://</c> and appends <c>/&lt;file&gt;</c>).
    /// </summary>
    public string ScpSite(string folder) => $"scp://{Host}:{RequireAbsolute(folder)}";

    /// <summary>
    /// A Buildroot <c>sftp</c> site for an absolute <paramref name="folder"/>:
    /// <c>sftp://127.0.0.1//folder</c> (sftp's own URL form, where a single slash would be relative to home).
    /// </summary>
    public string SftpSite(string folder) => $"sftp://{Host}/{RequireAbsolute(folder)}";

    public void Dispose()
    {
        // Kills the listener with any per-connection sshd child still serving a session.
        _sshd.Dispose();
        _folder.Dispose();
    }

    private static string RequireAbsolute(string folder) =>
        folder.StartsWith('/') ? folder.TrimEnd('/') : throw new ArgumentException($"'{folder}' is not an absolute path.", nameof(folder));

    private static void GenerateKey(string path)
    {
        using var keygen = Process.Start(new ProcessStartInfo("ssh-keygen")
        {
            ArgumentList = { "-q", "-t", "ed25519", "-N", string.Empty, "-C", "brdl-test", "-f", path },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        keygen.StandardInput.Close();
        string errors = keygen.StandardError.ReadToEnd();
        keygen.WaitForExit();
        if (keygen.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen failed for {path}: {errors}");
        }
    }

    private static void EnsurePrivilegeSeparationFolder()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || Directory.Exists(PrivilegeSeparationFolder))
        {
            return;
        }

        Directory.CreateDirectory(PrivilegeSeparationFolder);
        File.SetUnixFileMode(
            PrivilegeSeparationFolder,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private string WriteConfig(string hostKey, int port) =>
        _folder.WriteFile("sshd_config", $"""
            ListenAddress {Host}
            Port {port}
            HostKey {hostKey}
            AuthorizedKeysFile {_folder.Combine("authorized_keys")}
            PidFile {_folder.Combine("sshd.pid")}
            StrictModes no
            UsePAM no
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            Subsystem sftp internal-sftp
            LogLevel INFO
            """ + "\n");
}
