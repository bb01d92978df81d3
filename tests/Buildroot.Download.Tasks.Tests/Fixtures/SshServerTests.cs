using System.Diagnostics;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Fixtures;

/// <summary>The sshd fixture must really serve scp and sftp with its key, and really stop.</summary>
public sealed class SshServerTests
{
    [RequiresToolsFact(SshServer.SshdPath, "ssh-keygen", "scp", "sftp")]
    public async Task Scp_and_sftp_fetch_a_file_with_the_fixture_options()
    {
        using var files = new TemporaryFolder("ssh-files");
        string served = files.WriteFile("served/hello.txt", "hello over ssh\n");
        using var sshd = new SshServer();

        string scpCopy = files.Combine("by-scp.txt");
        string sftpCopy = files.Combine("by-sftp.txt");
        int scpExit = await RunAsync("scp", [.. sshd.DlOpts, "--", $"{sshd.Host}:{served}", scpCopy]);
        int sftpExit = await RunAsync("sftp", [.. sshd.DlOpts, "--", $"{sshd.SftpSite(Path.GetDirectoryName(served)!)}/hello.txt", sftpCopy]);

        scpExit.ShouldBe(0, sshd.Log);
        sftpExit.ShouldBe(0, sshd.Log);
        File.ReadAllText(scpCopy).ShouldBe("hello over ssh\n");
        File.ReadAllText(sftpCopy).ShouldBe("hello over ssh\n");
        sshd.Log.ShouldContain("Accepted publickey");
    }

    [RequiresToolsFact(SshServer.SshdPath, "ssh-keygen")]
    public void Disposing_stops_the_server()
    {
        var sshd = new SshServer();
        int processId = sshd.ProcessId;

        sshd.Dispose();

        // The process, not the port: tests run in parallel, and another test's server may be
        // given the freed port at once (which made a port check fail now and then).
        Should.Throw<ArgumentException>(() => Process.GetProcessById(processId));
    }

    private static async Task<int> RunAsync(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, errors);
        return process.ExitCode;
    }
}
