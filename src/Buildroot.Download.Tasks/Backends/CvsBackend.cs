using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>cvs</c> method, as Buildroot's <c>support/download/cvs</c>: a checkout of the module
/// at a tag or a date into <c>&lt;scratch&gt;/&lt;base name&gt;</c>, then <c>tar czf</c> of that folder
/// (CVS's own <c>CVS/</c> folders included, as Buildroot's archives have them). The archive is
/// not reproducible; Buildroot never checks its hashes (cvs is on the no-check list).
/// </summary>
/// <remarks>
/// The module is always the raw package name, as in Buildroot (its wrapper passes
/// <c>-N &lt;raw name&gt;</c> and the manual says "the module is the package name"). A site cannot
/// name another module: everything after the host in a CVSROOT is the repository's path on the
/// server, and taking its last part as a module would misread roots such as <c>host:/cvsroot</c>.
/// A package whose module has another name is named after the module.
/// </remarks>
internal sealed partial class CvsBackend : IDownloadBackend
{
    private const string MissingToolHint = "Install cvs, or set BuildrootCvsPath to its path.";

    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(request.Uri, "CVS root", "cvs");
        ArgumentGuard.RefuseOptionLike(request.Changeset, "changeset", "cvs");
        ArgumentGuard.RefuseOptionLike(request.RawName, "module", "cvs");

        string checkout = Path.Combine(request.ScratchFolder, request.BaseName);
        var arguments = new List<string>();
        if (request.Quiet)
        {
            arguments.Add("-Q");
        }

        arguments.AddRange(["-z3", "-d", CvsRoot.FromSite(request.Uri), "checkout"]);
        arguments.AddRange(request.DlOpts);
        arguments.AddRange(["-d", request.BaseName, IsDate(request.Changeset) ? "-D" : "-r", request.Changeset, "-P", "--", request.RawName]);

        // TZ=UTC: a date without a zone means UTC, whoever runs the build and wherever.
        await VcsCommandRunner.RunAsync(
            request.Runner,
            new ExternalCommand(request.Tools.Cvs)
                .WithArguments(arguments)
                .WithWorkingDirectory(request.ScratchFolder)
                .WithEnvironment("TZ", "UTC")

                // Buildroot runs the checkout under "timeout 10m"; here a stalled pserver is stopped
                // after the stall limit, and a slow but live one by the overall limit, as every tool.
                .WithStallLimit(request.Limits.Stall)
                .WithMissingToolHint(MissingToolHint) with { Quiet = request.Quiet },
            NoSuchTag(),
            $"CVS tag '{request.Changeset}' of module '{request.RawName}' in {request.Uri}",
            cancellationToken).ConfigureAwait(false);

        // cvs is content to check out nothing at a date before the module's first commit;
        // an archive of empty folders would be accepted unchecked, so say what happened instead.
        if (!HoldsAnyFile(checkout))
        {
            throw new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.NoSuchChangeset,
                $"The checkout of module '{request.RawName}' from {request.Uri} at '{request.Changeset}' holds no file. " +
                "Check the package's version: a date before the module's first commit gives nothing.");
        }

        await request.Runner.RunAsync(
            new ExternalCommand(request.Tools.Tar)
                .WithArguments("czf", request.OutputPath, "--", request.BaseName)
                .WithWorkingDirectory(request.ScratchFolder)
                .WithMissingToolHint("Install GNU tar, or put it on PATH.") with { Quiet = request.Quiet },
            cancellationToken).ConfigureAwait(false);

        return BackendResult.Plain;
    }

    /// <summary>Buildroot's rule: a tag cannot begin with a digit, so such a changeset is a date.</summary>
    internal static bool IsDate(string changeset) => changeset.Length > 0 && char.IsAsciiDigit(changeset[0]);

    private static bool HoldsAnyFile(string checkout) =>
        Directory.Exists(checkout)
        && Directory.EnumerateFiles(checkout, "*", SearchOption.AllDirectories)
            .Any(file => !Path.GetRelativePath(checkout, file).Split(Path.DirectorySeparatorChar).Contains("CVS"));

    [GeneratedRegex(@"no such tag", RegexOptions.IgnoreCase)]
    private static partial Regex NoSuchTag();
}
