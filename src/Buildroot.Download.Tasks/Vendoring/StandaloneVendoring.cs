using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>What <see cref="StandaloneVendoring.RunAsync"/> vendors, and where the result goes.</summary>
internal sealed record StandaloneVendoringRequest
{
    public required string ArchivePath { get; init; }

    /// <summary>Where the result goes; the same path as <see cref="ArchivePath"/> to rewrite it in place.</summary>
    public required string OutputPath { get; init; }

    public required string DownloadDirectory { get; init; }

    public string? CargoManifest { get; init; }

    public string? GoSubdir { get; init; }

    public string? GoProxy { get; init; }

    public required ToolPaths Tools { get; init; }

    /// <summary>The time limits of the tool (<c>BuildrootDownloadStallTimeout</c>, <c>BuildrootDownloadTimeout</c>).</summary>
    public TransferLimits Limits { get; init; } = TransferLimits.Default;

    /// <summary>Where the scratch folder goes (shared with other builds: see <see cref="ScratchSpace"/>).</summary>
    public string ScratchRoot { get; init; } = Path.Combine(Path.GetTempPath(), "buildroot-vendor-scratch");
}

/// <summary>
/// Vendoring an archive outside the download wrapper (the <c>CargoVendor</c> and <c>GoVendor</c>
/// tasks): the post-process works on a copy in a scratch folder of its own, and the result
/// replaces the output by an atomic rename, so readers see the old archive or the new one,
/// never a partial one, and a failure leaves the output as it was.
/// </summary>
internal static class StandaloneVendoring
{
    /// <summary>Vendors; false when the archive already held its dependencies (it is then copied to the output unchanged, if that is another file).</summary>
    public static async Task<bool> RunAsync(
        VendoringPostProcess postProcess,
        StandaloneVendoringRequest request,
        IBuildLog log,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(request.ArchivePath))
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.ArchiveToVendorMissing, $"The archive to vendor, {request.ArchivePath}, does not exist.");
        }

        var settings = new VendoringSettings(request.CargoManifest, request.GoSubdir);
        bool inPlace = string.Equals(Path.GetFullPath(request.ArchivePath), Path.GetFullPath(request.OutputPath), StringComparison.Ordinal);
        if (await postProcess.IsAlreadyVendoredAsync(request.ArchivePath, settings, cancellationToken).ConfigureAwait(false))
        {
            log.Detail($"{request.ArchivePath} already holds its vendored dependencies; it is left as it is.");
            if (!inPlace)
            {
                InstallAtomically(request.ArchivePath, request.OutputPath, modeFrom: request.ArchivePath);
            }

            return false;
        }

        using var space = ScratchSpace.Open(request.ScratchRoot, log);
        string scratch = space.CreateFolder("vendor");
        using var overall = request.Limits.HasOverallLimit ? new CancellationTokenSource(request.Limits.Overall) : new CancellationTokenSource();
        using var limited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overall.Token);
        try
        {
            string workFolder = Path.Combine(scratch, "post-process");
            Directory.CreateDirectory(workFolder);
            string workingCopy = Path.Combine(scratch, Path.GetFileName(request.ArchivePath));
            File.Copy(request.ArchivePath, workingCopy);

            await postProcess.VendorArchiveAsync(
                new PostProcessRequest
                {
                    ArchivePath = workingCopy,
                    ScratchFolder = workFolder,
                    DownloadDirectory = request.DownloadDirectory,
                    Settings = settings,
                    GoProxy = request.GoProxy,
                    Tools = request.Tools,
                    Limits = request.Limits,
                    Runner = new ProcessRunner(log),
                    Log = log,
                },
                limited.Token).ConfigureAwait(false);

            InstallAtomically(workingCopy, request.OutputPath, modeFrom: request.ArchivePath);
            return true;
        }
        catch (OperationCanceledException) when (overall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.ToolTimedOut,
                $"Vendoring {request.ArchivePath} did not finish within {TransferLimits.Format(request.Limits.Overall)}; it was stopped. Raise {TransferLimits.OverallProperty} if it needs longer.");
        }
        finally
        {
            ScratchCleanup.Delete(scratch);
        }
    }

    /// <summary>Copies to a temporary name beside the target, then renames it over the target.</summary>
    private static void InstallAtomically(string source, string target, string modeFrom)
    {
        string targetFolder = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(targetFolder);
        string temporary = Path.Combine(targetFolder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.Copy(source, temporary);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(modeFrom));
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
