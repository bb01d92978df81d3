using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>
/// The steps cargo and go vendoring share: an archive that already holds its dependencies is
/// left byte-for-byte alone; otherwise it is unpacked into the scratch folder, the tool vendors
/// under an exclusive lock on its shared cache, and the sources are repacked reproducibly with
/// the archive's own top folder name and date, over the archive.
/// </summary>
internal abstract class VendoringPostProcess : IDownloadPostProcess
{
    /// <summary>The tool, for messages: <c>cargo</c> or <c>go</c>.</summary>
    protected abstract string ToolName { get; }

    public async Task RunAsync(PostProcessRequest request, CancellationToken cancellationToken)
    {
        if (await IsAlreadyVendoredAsync(request.ArchivePath, request.Settings, cancellationToken).ConfigureAwait(false))
        {
            request.Log.Detail($"{Path.GetFileName(request.ArchivePath)} already holds its vendored dependencies; it is left as it is.");
            return;
        }

        await VendorArchiveAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the archive already holds what <see cref="RunAsync"/> would add.</summary>
    public abstract Task<bool> IsAlreadyVendoredAsync(string archivePath, VendoringSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Unpacks, vendors and repacks over the archive, without asking <see cref="IsAlreadyVendoredAsync"/>
    /// first: for a caller that has just asked it.
    /// </summary>
    public async Task VendorArchiveAsync(PostProcessRequest request, CancellationToken cancellationToken)
    {
        request.Log.Message($"Vendoring the dependencies of {Path.GetFileName(request.ArchivePath)} with {ToolName}");
        UnpackedSources sources = await UnpackedSources.UnpackAsync(request.ArchivePath, request.ScratchFolder, request.BaseName, cancellationToken).ConfigureAwait(false);
        await VendorAsync(sources, request, cancellationToken).ConfigureAwait(false);
        await sources.RepackAsync(request.ArchivePath, request.Tools.Gzip, request.Runner, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the tool in the unpacked sources, adding the dependencies to them.</summary>
    protected abstract Task VendorAsync(UnpackedSources sources, PostProcessRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="command"/> holding the exclusive lock on <paramref name="lockFile"/>:
    /// the tool's own locking does not keep concurrent runs sharing one cache from failing (see
    /// docs/behaviour.md, "Vendoring"). The lock is the file Buildroot's <c>flock</c> uses, so builds
    /// of both kinds exclude each other.
    /// </summary>
    protected async Task RunLockedAsync(
        ExternalCommand command,
        string lockFile,
        string lockPurpose,
        PostProcessRequest request,
        CancellationToken cancellationToken)
    {
        CommandResult result;
        using (await CrossProcessLock.AcquireAsync(lockFile, lockPurpose, request.Log, cancellationToken).ConfigureAwait(false))
        {
            result = await request.Runner.RunAsync(command.WithoutThrowingOnFailure(), cancellationToken).ConfigureAwait(false);
        }

        string said = result.StandardError.TrimEnd();
        if (!result.Succeeded)
        {
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.VendoringFailed,
                $"Vendoring {Path.GetFileName(request.ArchivePath)} failed: '{command}' exited with code {result.ExitCode}:\n{ProcessRunner.LastLines(said, 20)}");
        }

        if (said.Length > 0)
        {
            request.Log.Detail(said);
        }
    }
}
