using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The <c>svn</c> method, as Buildroot's <c>support/download/svn</c> (format <c>-svn5</c>):
/// <c>svn export --ignore-keywords</c> of <c>&lt;uri&gt;@&lt;rev&gt;</c> (externals left out unless asked),
/// then the reproducible archive dated with the revision's last-change date, so that the same
/// revision always gives the same bytes.
/// </summary>
internal sealed partial class SvnBackend : IDownloadBackend
{
    private const string MissingToolHint = "Install Subversion (svn), or set BuildrootSvnPath to its path.";

    public async Task<BackendResult> FetchAsync(BackendRequest request, CancellationToken cancellationToken)
    {
        ArgumentGuard.RefuseOptionLike(request.Uri, "repository URL", "svn");
        ArgumentGuard.RefuseOptionLike(request.Changeset, "revision", "svn");

        // --non-interactive: a build cannot answer a password or certificate prompt. Over
        // svn+ssh, ssh gets batch mode and the time limits (through SVN_SSH, which svn's default
        // tunnel reads, unless the user set one).
        ExternalCommand svn = new ExternalCommand(request.Tools.Svn)
            .WithStallLimit(request.Limits.Stall)
            .WithMissingToolHint(MissingToolHint) with { Quiet = request.Quiet };
        if (Environment.GetEnvironmentVariable("SVN_SSH") is null)
        {
            svn = svn.WithEnvironment("SVN_SSH", NetworkToolSettings.SshCommand(request.Limits, "-q") + " --");
        }

        string target = $"{request.Uri}@{request.Changeset}";
        string description = $"Subversion revision '{request.Changeset}' of {request.Uri}";
        string export = Path.Combine(request.ScratchFolder, request.BaseName);

        // Keywords stay unexpanded: $Id$ and friends would carry the exporter's time zone and
        // the repository's URL into the archive, which would then differ between mirrors.
        // The time-out comes before DlOpts, so that a --config-option of the package's wins.
        var exportArguments = new List<string> { "export", "--ignore-keywords", "--non-interactive" };
        exportArguments.AddRange(NetworkToolSettings.SvnArguments(request.Limits));
        if (request.Quiet)
        {
            exportArguments.Add("--quiet");
        }

        if (!request.SvnExternals)
        {
            exportArguments.Add("--ignore-externals");
        }

        exportArguments.AddRange(request.DlOpts);
        exportArguments.AddRange(["--", target, export]);
        await VcsCommandRunner.RunAsync(request.Runner, svn.WithArguments(exportArguments), MissingRevision(), description, cancellationToken)
            .ConfigureAwait(false);

        CommandResult info = await VcsCommandRunner.RunAsync(
            request.Runner,
            svn.WithArguments("info", "--xml", "--non-interactive")
                .WithArguments(NetworkToolSettings.SvnArguments(request.Limits))
                .WithArguments(SvnConnectionOptions.From(request.DlOpts))
                .WithArguments("--", target),
            MissingRevision(),
            description,
            cancellationToken).ConfigureAwait(false);

        await ReproducibleArchive.CreateAsync(
            new ArchiveRequest(export, request.BaseName, LastChangedDate(info.StandardOutput, target), request.OutputPath, ImmutableArray<string>.Empty, request.Tools.Gzip) { Quiet = request.Quiet },
            request.Runner,
            cancellationToken).ConfigureAwait(false);

        return BackendResult.Plain;
    }

    /// <summary>
    /// The "Last Changed Date" of <c>svn info</c>, read from its XML form (<c>&lt;commit&gt;&lt;date&gt;</c>,
    /// always UTC with microseconds), cut to whole seconds as tar stores it.
    /// </summary>
    internal static DateTimeOffset LastChangedDate(string infoXml, string target)
    {
        string? text = null;
        try
        {
            text = XDocument.Parse(infoXml).Root?.Element("entry")?.Element("commit")?.Element("date")?.Value;
        }
        catch (System.Xml.XmlException)
        {
            // Reported below with what svn printed.
        }

        if (text is null
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date))
        {
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.ToolFailed,
                $"'svn info --xml {target}' gave no last-changed date to stamp the archive with; it printed: {infoXml.Trim()}");
        }

        return new DateTimeOffset(date.Ticks - (date.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    // E160006: "No such revision N" (the error codes are the same in every language).
    [GeneratedRegex(@"\bE160006\b")]
    private static partial Regex MissingRevision();
}
