using System.Collections.Immutable;
using System.Text;
using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Release;

/// <summary>
/// Fills a legal-info folder as Buildroot's <c>make legal-info</c> does (pkg-generic.mk's
/// <c>&lt;pkg&gt;-legal-info</c>), from files already in the download folder:
/// <list type="bullet">
/// <item>a line in <c>manifest.csv</c> (<c>host-manifest.csv</c> for <c>host-</c> packages) for every package;</item>
/// <item>its license files, read from its source archive and checked against the hash files where
/// they list them, under <c>licenses/&lt;name&gt;-&lt;version&gt;/</c>, for every package;</item>
/// <item>for a redistributable package, its source, extra downloads and patches (with a
/// <c>series</c> file) and its hash files, under <c>sources/&lt;name&gt;-&lt;version&gt;/</c>.</item>
/// </list>
/// What cannot be saved is a coded warning, also written in the folder's README.
/// </summary>
internal sealed class LegalInfoWriter
{
    private readonly string _root;
    private readonly DownloadFolder _downloads;
    private readonly LicenseFileReader _licenseFiles;
    private readonly IBuildLog _log;
    private readonly LegalManifest _target = new();
    private readonly LegalManifest _host = new();
    private readonly List<string> _warnings = [];

    /// <param name="root">The (staging) folder to fill.</param>
    public LegalInfoWriter(string root, DownloadFolder downloads, LicenseFileReader licenseFiles, IBuildLog log)
    {
        _root = root;
        _downloads = downloads;
        _licenseFiles = licenseFiles;
        _log = log;
    }

    public async Task AddAsync(PackageSpec package, CancellationToken cancellationToken)
    {
        string prefix = package.Name.StartsWith("host-", StringComparison.Ordinal) ? "host-" : string.Empty;
        (package.Name == package.RawName ? _target : _host).Add(package);
        if (package.License is null)
        {
            Warn(MessageCodes.LegalNoLicense, package, "no license (License not defined; the manifest says 'unknown')");
        }

        if (!package.Method.Downloads)
        {
            Warn(MessageCodes.LocalPackageNotSaved, package, "sources and license files not saved (local packages are not handled)");
            return;
        }

        ImmutableArray<PackageFile> files = PackageFiles.Of(package, _downloads);
        await SaveLicenseFilesAsync(package, files[0].Path, Path.Combine(_root, $"{prefix}licenses", package.BaseName), cancellationToken).ConfigureAwait(false);
        if (package.Redistribute)
        {
            await SaveSourcesAsync(package, files, Path.Combine(_root, $"{prefix}sources", package.BaseName), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes both manifests and the README (with the warnings); call once every package is added.</summary>
    public async Task FinishAsync(string projectName, CancellationToken cancellationToken)
    {
        await WriteAsync("manifest.csv", _target.ToString(), cancellationToken).ConfigureAwait(false);
        await WriteAsync("host-manifest.csv", _host.ToString(), cancellationToken).ConfigureAwait(false);
        await WriteAsync("README", Readme(projectName), cancellationToken).ConfigureAwait(false);
    }

    private async Task SaveLicenseFilesAsync(PackageSpec package, string archive, string folder, CancellationToken cancellationToken)
    {
        if (package.LicenseFileList.IsEmpty)
        {
            Warn(MessageCodes.LegalNoLicenseFiles, package, "cannot save license (LicenseFiles not defined)");
            return;
        }

        string[] wanted = package.LicenseFileList.Select(file => PathInSources(package, file)).ToArray();
        IReadOnlyDictionary<string, byte[]> found = await _licenseFiles.ReadAsync(archive, wanted, cancellationToken).ConfigureAwait(false);
        string[] missing = wanted.Where(file => !found.ContainsKey(file)).ToArray();
        if (missing.Length > 0)
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.LicenseFileMissing,
                $"{package.Name}: the license file{(missing.Length == 1 ? string.Empty : "s")} {string.Join(", ", missing)} {(missing.Length == 1 ? "is" : "are")} not in {archive} (below its top folder): fix LicenseFiles (FOO_LICENSE_FILES).");
        }

        HashFileSet hashFiles = HashFileSet.Read(package.HashFiles);
        foreach (string file in wanted)
        {
            await CheckLicenseFileAsync(package, hashFiles, file, found[file], archive, cancellationToken).ConfigureAwait(false);
            string target = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, found[file], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// As Buildroot's <c>legal-license-file</c>: a license file its hash files list must match;
    /// one they do not list (check-hash's exit 3) is saved as it is.
    /// </summary>
    private static async Task CheckLicenseFileAsync(PackageSpec package, HashFileSet hashFiles, string file, byte[] content, string archive, CancellationToken cancellationToken)
    {
        // check-hash compares the whole name (archival/libarchive/bz/LICENSE), not its last part.
        HashEntry[] entries = hashFiles
            .EntriesNamed(file)
            .Where(entry => HashAlgorithms.IsKnown(entry.Algorithm))
            .ToArray();
        if (entries.Length == 0)
        {
            return;
        }

        using var stream = new MemoryStream(content, writable: false);
        var actual = await MultiHasher.HashStreamAsync(stream, entries.Select(e => e.Algorithm), cancellationToken).ConfigureAwait(false);
        if (entries.FirstOrDefault(entry => actual[entry.Algorithm] != entry.ExpectedHex) is { } wrong)
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.HashMismatch,
                $"{package.Name}: the license file {file} in {archive} does not match {wrong.Origin}: expected {wrong.Algorithm} {wrong.ExpectedHex}, found {actual[wrong.Algorithm]}. Check the license (it may have changed with the version) before you update the hash.");
        }
    }

    /// <summary>
    /// Buildroot's "other packages": the source and the extra downloads, then the patches in order
    /// with a <c>series</c> file naming them, and (ours) the hash files that vouch for them, joined
    /// into <c>&lt;name&gt;.hash</c>. Hard links into the download folder where possible, else copies.
    /// </summary>
    private async Task SaveSourcesAsync(PackageSpec package, ImmutableArray<PackageFile> files, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (PackageFile file in files.Where(f => f.Kind != PackageFileKind.Patch).Concat(files.Where(f => f.Kind == PackageFileKind.Patch)))
        {
            string target = Path.Combine(folder, file.FileName);
            if (!HardLink.TryCreate(file.Path, target))
            {
                File.Copy(file.Path, target, overwrite: true);
            }
        }

        string[] patches = files.Where(f => f.Kind == PackageFileKind.Patch).Select(f => f.FileName).ToArray();
        if (patches.Length > 0)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "series"), string.Concat(patches.Select(p => p + "\n")), cancellationToken).ConfigureAwait(false);
        }

        ImmutableArray<string> hashFiles = package.HashFiles;
        if (!hashFiles.IsEmpty)
        {
            var joined = new StringBuilder();
            foreach (string hashFile in hashFiles)
            {
                string text = await File.ReadAllTextAsync(hashFile, cancellationToken).ConfigureAwait(false);
                joined.Append(text);
                if (text.Length > 0 && text[^1] != '\n')
                {
                    joined.Append('\n');
                }
            }

            await File.WriteAllTextAsync(Path.Combine(folder, $"{package.RawName}.hash"), joined.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A LicenseFiles entry as a path below the sources' top folder; one that would leave it is refused.</summary>
    private static string PathInSources(PackageSpec package, string file)
    {
        string[] parts = file.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(part => part != ".").ToArray();
        if (file.StartsWith('/') || parts.Length == 0 || parts.Contains("..") || file.Any(char.IsControl))
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.LicenseFilePathInvalid,
                $"{package.Name}: LicenseFiles names '{file}', which is not a path inside the package's sources: give paths relative to the top folder of its source archive, without '..'.");
        }

        return string.Join('/', parts);
    }

    private void Warn(string code, PackageSpec package, string problem)
    {
        // Buildroot's legal-warning-pkg: "WARNING: <name>-<version>: <text>", in the README too.
        _warnings.Add($"WARNING: {package.BaseName}: {problem}");
        _log.Warning(code, $"{package.Name}: {problem}.");
    }

    private Task WriteAsync(string name, string text, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(_root, name), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), cancellationToken);

    private string Readme(string projectName)
    {
        var text = new StringBuilder();
        text.Append($"""
            Legal information about the third-party sources of {projectName}, written by
            Buildroot.Download.Tasks (dotnet build -t:BuildrootLegalInfo), laid out as Buildroot's
            `make legal-info`:

              manifest.csv         one line per package: name, version, license, license files,
                                   source archive, source site
              sources/             the source, extra downloads and patches (in the order of the
                                   `series` file) of every package that may be redistributed,
                                   with its hash file
              licenses/            every package's license files, from its source archive
              host-manifest.csv,
              host-sources/,
              host-licenses/       the same for the host-* packages
              legal-info.sha256    the SHA-256 of every file here: sha256sum -c legal-info.sha256

            Packages that may not be redistributed are in the manifest; their sources are not here.

            """);
        if (_warnings.Count > 0)
        {
            text.Append("\nWARNINGS\n\n");
            foreach (string warning in _warnings)
            {
                text.Append(warning).Append('\n');
            }
        }

        return text.ToString().ReplaceLineEndings("\n");
    }
}
