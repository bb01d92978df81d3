using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages;

/// <summary>
/// Turns a package's raw metadata (a <c>BuildrootPackage</c> item's metadata, or what the
/// manifest reader found) into a validated <see cref="PackageSpec"/> with Buildroot's defaults.
/// Every invalid value is a <see cref="Infrastructure.BrdlException"/> naming the package and the value.
/// </summary>
internal static class PackageSpecFactory
{
    private static readonly char[] Blanks = [' ', '\t', '\r', '\n'];

    /// <param name="name">The package name (the item's Include).</param>
    /// <param name="metadata">Metadata by name (Version, Site, SiteMethod, Source, …), case-insensitive; empty values mean unset.</param>
    /// <param name="baseDirectory">Relative paths in metadata (HashFiles) are resolved against this folder.</param>
    public static PackageSpec Create(string name, IReadOnlyDictionary<string, string> metadata, string baseDirectory)
    {
        if (!PlainNames.IsValidPackageName(name))
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.InvalidPackageName,
                Redact($"'{name}' is not a valid package name: use letters, digits, '.', '_', '+' and '-', starting with a letter or digit (as Buildroot's package folder names)."));
        }

        var values = new Values(name, metadata);
        string rawName = PackageSpec.RawNameOf(name);

        string? site = values.Get(PackageMetadata.Site);
        if (site is not null)
        {
            values.RefuseOption(PackageMetadata.Site, site);
        }

        DownloadMethod method = SiteMethod(values, site);
        if (site is not null)
        {
            // The transport first: "ext::sh -c …" is refused for what it would do, not for its blanks.
            if (method == DownloadMethods.Git)
            {
                GitTransports.RefuseUnmeant(site, name);
            }

            if (site.IndexOfAny(Blanks) >= 0 || site.Any(char.IsControl))
            {
                throw values.Error(MessageCodes.InvalidSetting, PackageMetadata.Site, site, "holds blanks or control characters; a site is one URL");
            }
        }

        string? postProcess = PostProcess(values);
        string? explicitSource = values.Get(PackageMetadata.Source);
        ImmutableArray<string> extraDownloads = DownloadEntries(values, PackageMetadata.ExtraDownloads);
        ImmutableArray<string> patches = DownloadEntries(values, PackageMetadata.Patch);

        // As in Buildroot, a package without version and source may still fetch patches or extra downloads.
        bool onlyAdditional = explicitSource is null && values.Get(PackageMetadata.Version) is null
            && !method.IsVersionControl && (extraDownloads.Length > 0 || patches.Length > 0);
        (string dlVersion, string sanitizedVersion) = onlyAdditional ? (string.Empty, string.Empty) : Version(values, method, explicitSource);

        string source = onlyAdditional
            ? string.Empty
            : explicitSource ?? $"{rawName}-{sanitizedVersion}{method.ArchiveSuffix}{PostProcessNames.FormatSuffix(postProcess)}.tar.gz";
        if (explicitSource is not null)
        {
            values.RefuseOption(PackageMetadata.Source, source);
            values.RequirePlainName(PackageMetadata.Source, source);
        }
        else if (!onlyAdditional)
        {
            values.RequirePlainName(PackageMetadata.Version, source, dlVersion);
        }

        string dlSubdir = values.Get(PackageMetadata.DlSubdir) ?? rawName;
        values.RequirePlainName(PackageMetadata.DlSubdir, dlSubdir);

        if (site is null && method.NeedsSite)
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.MissingSite,
                Redact($"Package '{name}' uses the {method} method but has no Site: set its Site metadata (for {method}, the {(method.IsVersionControl ? "repository URL" : "location to fetch from")})."));
        }

        var spec = new PackageSpec
        {
            Name = name,
            Version = dlVersion,
            SanitizedVersion = sanitizedVersion,
            Site = site,
            SiteMethod = method.Name,
            BuildrootMethod = DownloadMethods.ShowInfoSpelling(values.Get(PackageMetadata.SiteMethod), site),
            Source = source,
            ExtraDownloads = extraDownloads,
            Patches = patches,
            DlSubdir = dlSubdir,
            DlOpts = DlOpts(values),
            HashFiles = MetadataValues.SplitList(values.Get(PackageMetadata.HashFiles))
                .Select(file => Path.GetFullPath(file, baseDirectory))
                .ToImmutableArray(),
            InlineHashes = InlineHashes(values, source),
            TransientDownload = values.Boolean(PackageMetadata.TransientDownload, whenEmpty: false),
            GitSubmodules = values.Boolean(PackageMetadata.GitSubmodules, whenEmpty: false),
            GitLfs = values.Boolean(PackageMetadata.GitLfs, whenEmpty: false),
            SvnExternals = values.Boolean(PackageMetadata.SvnExternals, whenEmpty: false),
            DownloadPostProcess = postProcess,
            CargoManifest = PathInArchive(values, PackageMetadata.CargoManifest, postProcess, PostProcessNames.Cargo) ?? (postProcess == PostProcessNames.Cargo ? "Cargo.toml" : null),
            GoSubdir = PathInArchive(values, PackageMetadata.GoSubdir, postProcess, PostProcessNames.Go),
            License = values.Get(PackageMetadata.License),
            LicenseFiles = values.Get(PackageMetadata.LicenseFiles),
            Redistribute = values.Boolean(PackageMetadata.Redistribute, whenEmpty: true),
            CpeId = CpeIds.Of(name, values.Get, values.Boolean(PackageMetadata.CpeIdValid, whenEmpty: false), rawName, sanitizedVersion),
        };

        CheckMethodOptions(values, spec);
        return spec;
    }

    private static DownloadMethod SiteMethod(Values values, string? site)
    {
        if (values.Get(PackageMetadata.SiteMethod) is { } given)
        {
            return DownloadMethods.Find(given.ToLowerInvariant())
                ?? throw values.Error(MessageCodes.UnknownSiteMethod, PackageMetadata.SiteMethod, given, $"is not a download method; use one of {DownloadMethods.Names}");
        }

        // Without a site only the mirrors can serve the file, and they are always fetched as plain files.
        if (site is null)
        {
            return DownloadMethods.Wget;
        }

        return DownloadMethods.FromSite(site)
            ?? throw values.Error(
                MessageCodes.UnknownSiteMethod,
                PackageMetadata.Site,
                site,
                $"starts with a scheme that names no download method ({DownloadMethods.Schemes}); set SiteMethod");
    }

    private static string? PostProcess(Values values)
    {
        string? given = values.Get(PackageMetadata.DownloadPostProcess);
        return given?.ToLowerInvariant() switch
        {
            null => null,
            PostProcessNames.Cargo => PostProcessNames.Cargo,
            PostProcessNames.Go => PostProcessNames.Go,
            _ => throw values.Error(MessageCodes.UnknownPostProcess, PackageMetadata.DownloadPostProcess, given, "is not a post-process; use cargo or go, or leave it empty"),
        };
    }

    private static (string DlVersion, string Sanitized) Version(Values values, DownloadMethod method, string? explicitSource)
    {
        string? given = values.Get(PackageMetadata.Version);
        if (given is null)
        {
            if (explicitSource is not null && !method.IsVersionControl)
            {
                return (string.Empty, string.Empty);
            }

            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.MissingVersion,
                Redact(method.IsVersionControl
                    ? $"Package '{values.Package}' has no Version: the {method} method needs one (the changeset: a tag, a branch, a commit or a revision)."
                    : $"Package '{values.Package}' has no Version: set Version, or give Source (the file name) explicitly."));
        }

        values.RefuseOption(PackageMetadata.Version, given);
        if (given.Any(c => char.IsControl(c) && c != '\t'))
        {
            throw values.Error(MessageCodes.InvalidSetting, PackageMetadata.Version, given, "holds control characters");
        }

        return PackageVersions.Normalize(given);
    }

    private static ImmutableArray<string> DownloadEntries(Values values, string metadataName)
    {
        // Buildroot separates these with blanks, MSBuild with ';': both work.
        ImmutableArray<string> entries = Words(values.Get(metadataName)?.Replace(';', ' '));
        foreach (string entry in entries)
        {
            values.RefuseOption(metadataName, entry);
            values.RequirePlainName(metadataName, PlainNames.FileNameOf(entry), entry);
        }

        return entries;
    }

    private static ImmutableArray<string> DlOpts(Values values)
    {
        string? given = values.Get(PackageMetadata.DlOpts);
        return given is null
            ? ImmutableArray<string>.Empty
            : ShellWords.Split(given) ?? throw values.Error(MessageCodes.InvalidSetting, PackageMetadata.DlOpts, given, "leaves a quote open; it is split into arguments as a shell would");
    }

    /// <summary>The <c>Hash</c> metadata, read once here: every later step works with the parsed entries.</summary>
    private static ImmutableArray<HashEntry> InlineHashes(Values values, string source)
    {
        var hashes = ImmutableArray.CreateBuilder<HashEntry>();
        foreach (string value in MetadataValues.SplitList(values.Get(PackageMetadata.Hash)))
        {
            hashes.Add(InlineHash.Parse(value, source, out string problem)
                ?? throw values.Error(MessageCodes.InvalidInlineHash, PackageMetadata.Hash, value, $"is not a usable hash: {problem}"));
        }

        return hashes.ToImmutable();
    }

    /// <summary>A path inside the downloaded archive (below its top folder): relative and going down only.</summary>
    private static string? PathInArchive(Values values, string metadataName, string? postProcess, string requiredPostProcess)
    {
        string? path = values.Get(metadataName);
        if (path is null)
        {
            return null;
        }

        if (postProcess != requiredPostProcess)
        {
            throw values.Error(MessageCodes.InvalidSetting, metadataName, path, $"is only used by the {requiredPostProcess} post-process; set DownloadPostProcess={requiredPostProcess}, or remove it");
        }

        string[] segments = path.Replace('\\', '/').Split('/');
        if (Path.IsPathRooted(path) || path.StartsWith('-') || segments.Any(segment => segment == "..") || path.Any(char.IsControl))
        {
            throw values.Error(MessageCodes.InvalidSetting, metadataName, path, "must be a relative path inside the archive, without '..'");
        }

        return path;
    }

    private static void CheckMethodOptions(Values values, PackageSpec spec)
    {
        if ((spec.GitSubmodules || spec.GitLfs) && spec.Method != DownloadMethods.Git)
        {
            string option = spec.GitSubmodules ? PackageMetadata.GitSubmodules : PackageMetadata.GitLfs;
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.SubmodulesNeedGit,
                Redact($"Package '{spec.Name}' sets {option} but downloads with {spec.SiteMethod}, not git: as in Buildroot, submodules and LFS objects come with the git method only."));
        }

        if (spec.SvnExternals && spec.Method != DownloadMethods.Svn)
        {
            throw values.Error(MessageCodes.InvalidSetting, PackageMetadata.SvnExternals, "true", $"needs the svn method; this package downloads with {spec.SiteMethod}");
        }
    }

    private static ImmutableArray<string> Words(string? value) =>
        (value ?? string.Empty).Split(Blanks, StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();

    private static string Redact(string text) => SecretRedactor.Redact(text);

    /// <summary>The metadata of one package, with the checks that name it in their errors.</summary>
    private sealed class Values(string package, IReadOnlyDictionary<string, string> metadata)
    {
        private readonly Dictionary<string, string> _byName = new(metadata, StringComparer.OrdinalIgnoreCase);

        public string Package => package;

        /// <summary>The value trimmed, or null when it is absent or blank.</summary>
        public string? Get(string name) =>
            _byName.TryGetValue(name, out string? value) && value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

        public bool Boolean(string name, bool whenEmpty) =>
            MetadataValues.ParseBoolean(Get(name), whenEmpty)
            ?? throw Error(MessageCodes.InvalidBoolean, name, Get(name)!, "is not a yes/no value; use true or false (YES and NO work too)");

        /// <summary>A user's value never becomes a tool's option.</summary>
        public void RefuseOption(string name, string value)
        {
            if (value.StartsWith('-'))
            {
                throw Error(MessageCodes.ValueLooksLikeOption, name, value, "starts with '-', so a download tool would read it as an option");
            }
        }

        public void RequirePlainName(string name, string fileName, string? wholeValue = null)
        {
            if (PlainNames.Problem(fileName) is { } problem)
            {
                string shown = wholeValue is null ? $"'{fileName}'" : $"'{wholeValue}' (file name '{fileName}')";
                throw new BrdlException(
                    FailureScope.Package,
                    MessageCodes.PathEscapesDownloadFolder,
                    Redact($"Package '{package}': {name} {shown} {problem}: it names a file or folder under the download folder."));
            }
        }

        public BrdlException Error(string code, string name, string value, string problem) =>
            new(FailureScope.Package, code, Redact($"Package '{package}': {name} '{QuotedText.Cut(value)}' {problem}."));
    }
}
