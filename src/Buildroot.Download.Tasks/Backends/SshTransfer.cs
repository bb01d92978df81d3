using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// What the scp and sftp backends share: <c>&lt;tool&gt; [-q] &lt;DlOpts…&gt; &lt;ssh options&gt; -- &lt;source&gt; &lt;output&gt;</c>,
/// the ssh options being batch mode and the time limits (<see cref="NetworkToolSettings.SshOptions"/>).
/// </summary>
internal static class SshTransfer
{
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

            // After DlOpts: ssh keeps the first value given for an option, so the package's own choices win.
            .WithArguments(NetworkToolSettings.SshOptions(request.Limits))
            .WithArguments("--", source, request.OutputPath)
            .WithStallLimit(request.Limits.Stall)
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
