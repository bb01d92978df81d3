using System.Collections.Immutable;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Release;

/// <summary>What a file is to its package: Buildroot's <c>FOO_SOURCE</c>, one of <c>FOO_PATCH</c>, one of <c>FOO_EXTRA_DOWNLOADS</c>.</summary>
internal enum PackageFileKind
{
    MainSource,
    Patch,
    ExtraDownload,
}

/// <summary>One file a package downloads, as the release targets describe it.</summary>
/// <param name="FileName">Its name in the package's download folder (and in hash files).</param>
/// <param name="Kind">Source, patch or extra download.</param>
/// <param name="Origin">
/// Where it comes from upstream, credentials hidden: <c>&lt;site&gt;/&lt;file&gt;</c>, the URL given for it,
/// or for a version control source the repository; null when the package has no site (mirrors only).
/// </param>
/// <param name="FromVersionControl">True for an archive made from a repository (git, svn, hg, bzr, cvs).</param>
/// <param name="Path">Where it is (or will be) in the download folder.</param>
internal sealed record PackageFile(string FileName, PackageFileKind Kind, string? Origin, bool FromVersionControl, string Path)
{
    public bool IsMainSource => Kind == PackageFileKind.MainSource;
}

internal static class PackageFiles
{
    /// <summary>
    /// The files of <paramref name="package"/>, in Buildroot's order (source, patches, extra
    /// downloads); none for the <c>local</c> method, which downloads nothing.
    /// </summary>
    public static ImmutableArray<PackageFile> Of(PackageSpec package, DownloadFolder folder)
    {
        if (!package.Method.Downloads)
        {
            return ImmutableArray<PackageFile>.Empty;
        }

        string? site = package.Site?.TrimEnd('/');
        bool versionControl = package.Method.IsVersionControl;
        var files = ImmutableArray.CreateBuilder<PackageFile>();
        files.Add(new PackageFile(
            package.Source,
            PackageFileKind.MainSource,
            site is null ? null : Hide(versionControl ? RepositoryUrl(package.SiteMethod, site) : $"{site}/{package.Source}"),
            versionControl,
            folder.FinalPath(package, package.Source)));
        files.AddRange(package.Patches.Select(entry => Entry(entry, PackageFileKind.Patch)));
        files.AddRange(package.ExtraDownloads.Select(entry => Entry(entry, PackageFileKind.ExtraDownload)));
        return files.ToImmutable();

        PackageFile Entry(string entry, PackageFileKind kind)
        {
            string name = PlainNames.FileNameOf(entry);
            string? origin = PlainNames.IsUrl(entry) ? entry : site is null ? null : $"{site}/{name}";
            return new PackageFile(name, kind, origin is null ? null : Hide(origin), FromVersionControl: false, folder.FinalPath(package, name));
        }
    }

    /// <summary>git's scp-like <c>user@host:path</c> as the URL it means, <c>ssh://user@host/path</c>.</summary>
    private static string RepositoryUrl(string method, string site)
    {
        int colon = site.IndexOf(':', StringComparison.Ordinal);
        return method == "git" && !PlainNames.IsUrl(site) && colon > 0
            ? $"ssh://{site[..colon]}/{site[(colon + 1)..].TrimStart('/')}"
            : site;
    }

    private static string Hide(string url) => Infrastructure.SecretRedactor.Redact(url);
}
