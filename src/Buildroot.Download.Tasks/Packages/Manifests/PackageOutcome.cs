using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>The one warning a package may get.</summary>
internal sealed record PackageWarning(string Code, string Text, SourceLocation Location);

/// <summary>
/// What becomes of one declared package: exactly one of <see cref="Package"/> (kept),
/// <see cref="LeftOut"/>, or <see cref="NothingToDownload"/> (its dependencies), with at most one
/// warning, given only when a value that decides the download or the legal information is concerned.
/// </summary>
internal sealed record PackageOutcome(
    ManifestPackage? Package,
    LeftOutPackage? LeftOut,
    ImmutableArray<string>? NothingToDownload,
    PackageWarning? Warning,
    string? Detail)
{
    private const string Advice = "Give the missing variables with BuildrootManifestVariable items, or declare the package as a BuildrootPackage item";

    /// <param name="fileExists">File.Exists, or what answers as it does.</param>
    public static PackageOutcome Decide(PackageDeclaration declaration, PackageReading reading, ImmutableArray<MakeDoubt> fileNotices, Func<string, bool> fileExists)
    {
        if (reading.IsVirtual)
        {
            return new(null, null, reading.Dependencies, null, $"{declaration.File}: {declaration.Name} is a virtual package: nothing to download.");
        }

        if (reading.DownloadUnknown)
        {
            string reason = $"its download cannot be known: {Reasons(reading.Unknown, reading.NotFollowed)}";
            SourceLocation where = FirstLocation(declaration, reading, ImmutableArray<MakeDoubt>.Empty);
            var warning = new PackageWarning(MessageCodes.ManifestConstructNotUnderstood, $"Package '{declaration.Name}' is left out, {reason}. {Advice}; leaving it out is an error only if the package is needed.", where);
            return new(null, new LeftOutPackage(declaration.Name, warning.Code, reason, where, reading.Dependencies), null, warning, null);
        }

        ImmutableDictionary<string, string> metadata = WithHashFile(declaration, reading.Metadata, fileExists);
        if (!HasDownloads(metadata))
        {
            return new(null, null, reading.Dependencies, DoubtWarning(declaration, reading, fileNotices), $"{declaration.File}: {declaration.Name} has no source, patch or extra download: nothing to download (as in Buildroot).");
        }

        try
        {
            PackageSpecFactory.Create(declaration.Name, metadata, Path.GetDirectoryName(declaration.File)!);
        }
        catch (BrdlException e)
        {
            string reason = $"its values are not valid for a download ({e.Code}: {e.Message})";
            var where = new SourceLocation(declaration.File, declaration.Line);
            var warning = new PackageWarning(MessageCodes.ManifestPackageInvalid, $"Package '{declaration.Name}' is left out: {reason} Leaving it out is an error only if the package is needed.", where);
            return new(null, new LeftOutPackage(declaration.Name, warning.Code, reason, where, reading.Dependencies), null, warning, null);
        }

        return new(new ManifestPackage(declaration.Name, metadata, declaration.File, declaration.Line, reading.Dependencies), null, null, DoubtWarning(declaration, reading, fileNotices), null);
    }

    /// <summary>Legal values that cannot be known, a condition around the declaration, a line not followed: said once, the package kept.</summary>
    private static PackageWarning? DoubtWarning(PackageDeclaration declaration, PackageReading reading, ImmutableArray<MakeDoubt> fileNotices)
    {
        ImmutableArray<MakeDoubt> notices = fileNotices.AddRange(declaration.Doubts);
        if (reading.Unknown.IsEmpty && notices.IsEmpty)
        {
            return null;
        }

        string unset = reading.Unknown.IsEmpty
            ? string.Empty
            : $" ({string.Join(", ", reading.Unknown.Select(u => u.Variable))} left unset)";
        return new PackageWarning(
            MessageCodes.ManifestConstructNotUnderstood,
            $"Package '{declaration.Name}' is read, but not everything about it can be known{unset}: {Reasons(reading.Unknown, notices)}. {Advice}.",
            FirstLocation(declaration, reading, notices));
    }

    /// <summary>Each distinct reason once, with the variables it affects.</summary>
    private static string Reasons(ImmutableArray<UnknownValue> unknown, ImmutableArray<MakeDoubt> notices)
    {
        IEnumerable<string> fromValues = unknown
            .SelectMany(value => value.Reasons.Select(reason => (Reason: reason, value.Variable)))
            .GroupBy(entry => entry.Reason)
            .Select(group => $"{group.Key} (so {string.Join(", ", group.Select(entry => entry.Variable).Distinct())} cannot be known)");
        return string.Join("; ", fromValues.Concat(notices.Distinct().Select(notice => notice.ToString())));
    }

    private static SourceLocation FirstLocation(PackageDeclaration declaration, PackageReading reading, ImmutableArray<MakeDoubt> notices)
    {
        MakeDoubt? first = reading.Unknown.SelectMany(value => value.Reasons).Concat(reading.NotFollowed).Concat(notices).FirstOrDefault();
        return first is null || first.File == PackageInfrastructures.FileName || first.Line <= 0
            ? new SourceLocation(declaration.File, declaration.Line)
            : new SourceLocation(first.File, first.Line);
    }

    private static bool HasDownloads(ImmutableDictionary<string, string> metadata) =>
        metadata.ContainsKey(PackageMetadata.Source) || metadata.ContainsKey(PackageMetadata.Patch) || metadata.ContainsKey(PackageMetadata.ExtraDownloads);

    /// <summary>
    /// Buildroot's <c>FOO_HASH_FILE</c>: <c>&lt;dir&gt;/&lt;version&gt;/&lt;name&gt;.hash</c> when it
    /// exists, else <c>&lt;dir&gt;/&lt;name&gt;.hash</c>. That one may be absent (the package then has
    /// no hash file, a warning), so it is named only when it is there: a hash file a package names
    /// must exist.
    /// </summary>
    private static ImmutableDictionary<string, string> WithHashFile(PackageDeclaration declaration, ImmutableDictionary<string, string> metadata, Func<string, bool> fileExists)
    {
        string folder = Path.GetDirectoryName(declaration.File)!;
        string rawName = PackageSpec.RawNameOf(declaration.Name);
        if (metadata.TryGetValue(PackageMetadata.Version, out string? version)
            && PackageVersions.Normalize(version).Sanitized is { Length: > 0 } sanitized
            && PlainNames.Problem(sanitized) is null
            && Path.Combine(folder, sanitized, $"{rawName}.hash") is var versioned
            && fileExists(versioned))
        {
            return metadata.SetItem(PackageMetadata.HashFiles, versioned);
        }

        string hashFile = Path.Combine(folder, $"{rawName}.hash");
        return fileExists(hashFile) ? metadata.SetItem(PackageMetadata.HashFiles, hashFile) : metadata;
    }
}
