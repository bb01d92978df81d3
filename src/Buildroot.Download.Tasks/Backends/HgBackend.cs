using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>hg</c> method, as Buildroot's <c>support/download/hg</c>: a clone without a working
/// copy into the scratch folder, then <c>hg archive --type tgz</c> of the changeset with the
/// base name as the archive's top folder. Mercurial stamps every entry with the changeset's
/// date, but Buildroot does not count these archives as reproducible (hg is on the no-check list).
/// </summary>
internal sealed partial class HgBackend : IDownloadBackend
{
    private const string MissingToolHint = "Install Mercurial (hg), or set BuildrootHgPath to its path.";

    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(request.Uri, "repository URL", "hg");
        ArgumentGuard.RefuseOptionLike(request.Changeset, "changeset", "hg");

        // HGPLAIN keeps a user's hgrc from changing the commands' behaviour (aliases, [defaults])
        // and keeps messages in English, so that an unknown revision can be recognized.
        // --noninteractive and a read time-out for http; anything else that stalls (ssh, a prompt)
        // is stopped by the stall watchdog.
        ExternalCommand hg = new ExternalCommand(request.Tools.Hg)
            .WithEnvironment("HGPLAIN", "1")
            .WithArguments(NetworkToolSettings.HgArguments(request.Limits))
            .WithStallLimit(request.Limits.Stall)
            .WithMissingToolHint(MissingToolHint) with { Quiet = request.Quiet };
        string[] quiet = request.Quiet ? ["--quiet"] : [];
        string clone = Path.Combine(request.ScratchFolder, request.BaseName);

        await request.Runner.RunAsync(
            hg.WithArguments("clone").WithArguments(quiet).WithArguments(request.DlOpts)
                .WithArguments("--noupdate", "--", request.Uri, clone),
            cancellationToken).ConfigureAwait(false);

        await VcsCommandRunner.RunAsync(
            request.Runner,
            hg.WithArguments("archive").WithArguments(quiet)
                .WithArguments("--repository", clone, "--type", "tgz", "--prefix", request.BaseName, "--rev", request.Changeset, "--", request.OutputPath),
            UnknownRevision(),
            $"Mercurial changeset '{request.Changeset}' of {request.Uri}",
            cancellationToken).ConfigureAwait(false);

        return BackendResult.Plain;
    }

    [GeneratedRegex(@"^abort: unknown revision", RegexOptions.Multiline)]
    private static partial Regex UnknownRevision();
}
