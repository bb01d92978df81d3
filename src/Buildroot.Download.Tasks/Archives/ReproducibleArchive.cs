using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Archives;

/// <summary>What to pack: see <see cref="ReproducibleArchive.CreateAsync"/>.</summary>
/// <param name="SourceFolder">The folder whose files (not folders) are archived.</param>
/// <param name="BaseName">The archive's top folder: entries are stored as <c>&lt;BaseName&gt;/path</c>.</param>
/// <param name="Date">Every entry's mtime (whole seconds, UTC).</param>
/// <param name="OutputPath">The <c>.tar.gz</c> to write.</param>
/// <param name="Exclusions">Paths relative to <paramref name="SourceFolder"/> (as <c>./path</c> or <c>path</c>) left out, with everything below them.</param>
/// <param name="GzipTool">The host <c>gzip</c>, whose <c>-6 -n</c> output is the reference bytes.</param>
internal sealed record ArchiveRequest(
    string SourceFolder,
    string BaseName,
    DateTimeOffset Date,
    string OutputPath,
    ImmutableArray<string> Exclusions,
    string GzipTool);

/// <summary>
/// Buildroot's reproducible archive (BEHAVIOUR.md, "The reproducible archive"): the same
/// bytes as <c>tar --format=posix … | gzip -6 -n</c> with GNU tar 1.35.
/// </summary>
internal static class ReproducibleArchive
{
    public static Task CreateAsync(ArchiveRequest request, ProcessRunner runner, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Archives room: to be written.");
}
