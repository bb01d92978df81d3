using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// What becomes of one declared package: kept (a <see cref="ManifestPackage"/>), left out (a
/// <see cref="LeftOutPackage"/>), or nothing to download (its dependencies). Says so in at most
/// one warning, and only when a value that decides the download or the legal information is
/// concerned.
/// </summary>
internal sealed class PackageOutcome(PackageDeclaration declaration, PackageReading reading, ImmutableArray<MakeDoubt> fileNotices)
{
    private const string Advice = "Give the missing variables with BuildrootManifestVariable items, or declare the package as a BuildrootPackage item";

    /// <summary>Returns a <see cref="ManifestPackage"/>, a <see cref="LeftOutPackage"/>, or the dependencies of a package with nothing to download.</summary>
    public object Decide(IBuildLog log)
    {
        if (reading.IsVirtual)
        {
            log.Detail($"{declaration.File}: {declaration.Name} is a virtual package: nothing to download.");
            return reading.Dependencies;
        }

        if (reading.DownloadUnknown)
        {
            string reason = $"its download cannot be known: {Reasons(reading.Unknown, reading.NotFollowed)}";
            SourceLocation where = FirstLocation();
            log.Warning(MessageCodes.ManifestConstructNotUnderstood, $"Package '{declaration.Name}' is left out, {reason}. {Advice}; leaving it out is an error only if the package is needed.", where);
            return new LeftOutPackage(declaration.Name, MessageCodes.ManifestConstructNotUnderstood, reason, where, reading.Dependencies);
        }

        ImmutableDictionary<string, string> metadata = WithHashFile(reading.Metadata);
        if (!HasDownloads(metadata))
        {
            WarnIfDoubtful(log);
            log.Detail($"{declaration.File}: {declaration.Name} has no source, patch or extra download: nothing to download (as in Buildroot).");
            return reading.Dependencies;
        }

        try
        {
            PackageSpecFactory.Create(declaration.Name, metadata, Path.GetDirectoryName(declaration.File)!);
        }
        catch (BrdlException e)
        {
            string reason = $"its values are not valid for a download ({e.Code}: {e.Message})";
            var where = new SourceLocation(declaration.File, declaration.Line);
            log.Warning(MessageCodes.ManifestPackageInvalid, $"Package '{declaration.Name}' is left out: {reason} Leaving it out is an error only if the package is needed.", where);
            return new LeftOutPackage(declaration.Name, MessageCodes.ManifestPackageInvalid, reason, where, reading.Dependencies);
        }

        WarnIfDoubtful(log);
        return new ManifestPackage(declaration.Name, metadata, declaration.File, reading.Dependencies);
    }

    /// <summary>Legal values that cannot be known, a condition around the declaration, a line not followed: said once, the package kept.</summary>
    private void WarnIfDoubtful(IBuildLog log)
    {
        ImmutableArray<MakeDoubt> notices = fileNotices.AddRange(declaration.Doubts);
        if (reading.Unknown.IsEmpty && notices.IsEmpty)
        {
            return;
        }

        string unset = reading.Unknown.IsEmpty
            ? string.Empty
            : $" ({string.Join(", ", reading.Unknown.Select(u => u.Variable))} left unset)";
        log.Warning(
            MessageCodes.ManifestConstructNotUnderstood,
            $"Package '{declaration.Name}' is read, but not everything about it can be known{unset}: {Reasons(reading.Unknown, notices)}. {Advice}.",
            FirstLocation(notices));
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

    private SourceLocation FirstLocation(ImmutableArray<MakeDoubt> notices = default)
    {
        MakeDoubt? first = reading.Unknown.SelectMany(value => value.Reasons).Concat(reading.NotFollowed).Concat(notices.IsDefault ? [] : notices).FirstOrDefault();
        return first is null || first.File == PackageInfrastructures.FileName || first.Line <= 0
            ? new SourceLocation(declaration.File, declaration.Line)
            : new SourceLocation(first.File, first.Line);
    }

    private static bool HasDownloads(ImmutableDictionary<string, string> metadata) =>
        metadata.ContainsKey(PackageMetadata.Source) || metadata.ContainsKey(PackageMetadata.Patch) || metadata.ContainsKey(PackageMetadata.ExtraDownloads);

    /// <summary>
    /// Buildroot's <c>FOO_HASH_FILE</c>: <c>&lt;dir&gt;/&lt;version&gt;/&lt;name&gt;.hash</c> when it
    /// exists, else <c>&lt;dir&gt;/&lt;name&gt;.hash</c> (which may not exist: no hash file).
    /// </summary>
    private ImmutableDictionary<string, string> WithHashFile(ImmutableDictionary<string, string> metadata)
    {
        string folder = Path.GetDirectoryName(declaration.File)!;
        string rawName = PackageSpec.RawNameOf(declaration.Name);
        string hashFile = Path.Combine(folder, $"{rawName}.hash");
        if (metadata.TryGetValue(PackageMetadata.Version, out string? version)
            && PackageVersions.Normalize(version).Sanitized is { Length: > 0 } sanitized
            && PlainNames.Problem(sanitized) is null
            && File.Exists(Path.Combine(folder, sanitized, $"{rawName}.hash")))
        {
            hashFile = Path.Combine(folder, sanitized, $"{rawName}.hash");
        }

        return metadata.SetItem(PackageMetadata.HashFiles, hashFile);
    }
}
