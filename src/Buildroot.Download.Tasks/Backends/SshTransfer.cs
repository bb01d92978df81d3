using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// What the scp and sftp backends share: <c>&lt;tool&gt; [-q] &lt;DlOpts…&gt; &lt;safety options&gt; -- &lt;source&gt; &lt;output&gt;</c>.
/// </summary>
internal static class SshTransfer
{
    /// <summary>
    /// Never prompt (a build has no one to type a password or accept a host key: fail instead),
    /// and give up on a server that does not connect or stops answering rather than hang the build.
    /// They follow <c>DlOpts</c> because ssh keeps the first value given for an option, so the
    /// package's own choices win.
    /// </summary>
    private static readonly string[] SafetyOptions =
    [
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=30",
        "-o", "ServerAliveInterval=15",
        "-o", "ServerAliveCountMax=4",
    ];

    public static async Task<BackendResult> FetchAsync(
        BackendRequest request,
        string method,
        string tool,
        string source,
        string missingToolHint,
        CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(source, $"{method} site", method);
        var command = new ExternalCommand(tool)
            .WithArguments(request.Quiet ? ["-q"] : [])
            .WithArguments(request.DlOpts)
            .WithArguments(SafetyOptions)
            .WithArguments("--", source, request.OutputPath)
            .WithMissingToolHint(missingToolHint);
        try
        {
            await request.Runner.RunAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            SiteUris.DeletePartialOutput(request.OutputPath);
            throw;
        }

        // scp and sftp keep the remote file's mode, and Buildroot installs an executable one as 0755.
        return new BackendResult { Executable = SiteUris.IsExecutable(request.OutputPath) };
    }
}
