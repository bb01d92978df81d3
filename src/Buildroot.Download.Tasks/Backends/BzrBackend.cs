using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>bzr</c> method, as Buildroot's <c>support/download/bzr</c>: <c>bzr export</c> (here
/// Breezy's <c>brz</c> by default) straight from the branch URL into a <c>.tar.gz</c> whose top
/// folder is the base name, with each file's own last-change date when the tool supports it.
/// Buildroot does not count these archives as reproducible (bzr is on the no-check list).
/// </summary>
internal sealed partial class BzrBackend : IDownloadBackend
{
    private const string MissingToolHint = "Install Breezy (brz) or Bazaar (bzr), or set BuildrootBzrPath to its path.";

    // Asking the tool costs a Python start-up, so each tool path is asked once per process.
    private static readonly ConcurrentDictionary<string, bool> PerFileTimestampSupport = new(StringComparer.Ordinal);

    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(request.Uri, "branch URL", "bzr");
        ArgumentGuard.RefuseOptionLike(request.Changeset, "changeset", "bzr");

        // LANGUAGE=C keeps messages untranslated, so that a missing revision can be recognized.
        // Breezy has no time limit of its own: the stall watchdog stops a branch that stops answering.
        ExternalCommand bzr = new ExternalCommand(request.Tools.Bzr)
            .WithEnvironment("LANGUAGE", "C")
            .WithStallLimit(request.Limits.Stall)
            .WithMissingToolHint(MissingToolHint) with { Quiet = request.Quiet };

        var arguments = new List<string> { "export" };
        if (request.Quiet)
        {
            arguments.Add("--quiet");
        }

        arguments.Add("--format=tgz");
        arguments.Add($"--root={request.BaseName}/");
        if (await SupportsPerFileTimestampsAsync(bzr, request.Runner, cancellationToken).ConfigureAwait(false))
        {
            arguments.Add("--per-file-timestamps");
        }

        arguments.Add("--revision");
        arguments.Add(request.Changeset);
        arguments.AddRange(request.DlOpts);
        arguments.AddRange(["--", request.OutputPath, request.Uri]);

        await VcsCommandRunner.RunAsync(
            request.Runner,
            bzr.WithArguments(arguments),
            MissingRevision(),
            $"Bazaar revision '{request.Changeset}' of {request.Uri}",
            cancellationToken).ConfigureAwait(false);

        return BackendResult.Plain;
    }

    // --per-file-timestamps came with bzr 2.2 (2010); Buildroot still asks, and so do we.
    private static async Task<bool> SupportsPerFileTimestampsAsync(ExternalCommand bzr, ProcessRunner runner, CancellationToken cancellationToken)
    {
        if (PerFileTimestampSupport.TryGetValue(bzr.FileName, out bool known))
        {
            return known;
        }

        CommandResult help = await runner.RunAsync(
            bzr.WithArguments("export", "--help").WithoutThrowingOnFailure() with { Quiet = true },
            cancellationToken).ConfigureAwait(false);
        if (!help.Succeeded)
        {
            return false;
        }

        return PerFileTimestampSupport.GetOrAdd(
            bzr.FileName,
            help.StandardOutput.Contains("--per-file-timestamps", StringComparison.Ordinal));
    }

    // brz: "Requested revision: 'x' does not exist in branch", "No such tag: x", and a
    // NoSuchRevision traceback for an unknown revid:.
    [GeneratedRegex(@"does not exist in branch|No such tag:|NoSuchRevision")]
    private static partial Regex MissingRevision();
}
