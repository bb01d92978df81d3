using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>A package found in a manifest: its name and its <c>BuildrootPackage</c> metadata.</summary>
internal sealed record ManifestPackage(string Name, ImmutableDictionary<string, string> Metadata, string DefiningManifest);

/// <summary>
/// Reads a Buildroot package manifest, <c>&lt;dir&gt;/&lt;name&gt;.mk</c>, into the packages it
/// declares, with the metadata a <c>BuildrootPackage</c> item would carry. The variables are
/// those of <c>&lt;NAME&gt;_</c> (and <c>HOST_&lt;NAME&gt;_</c>); everything the reader cannot know
/// for sure is a <see cref="MessageCodes.ManifestConstructNotUnderstood"/> warning naming the
/// file and line, and a value that depends on it is left unset or its package skipped: never
/// guessed.
/// </summary>
internal static class ManifestReader
{
    /// <summary>Infrastructures that leave the download to generic-package's defaults.</summary>
    private static readonly HashSet<string> GenericDownloads = new(StringComparer.Ordinal)
    {
        "generic", "autotools", "cmake", "meson", "python", "perl", "kconfig", "rebar", "waf", "qmake",
        "cargo", "golang", "toolchain-external",
    };

    /// <param name="manifestPath">The <c>.mk</c> file.</param>
    /// <param name="variables">Values for variables the manifest uses but does not define (<c>BR2_GNU_MIRROR</c>, …).</param>
    /// <param name="log">Where warnings go.</param>
    public static ImmutableArray<ManifestPackage> Read(string manifestPath, IReadOnlyDictionary<string, string> variables, IBuildLog log)
    {
        string path = Path.GetFullPath(manifestPath);
        string name = Path.GetFileNameWithoutExtension(path);
        string text = ReadText(path);
        string prefix = ManifestVariable.Prefix(name);

        var evaluator = new MakefileEvaluator(
            path,
            Predefined(path, name, variables),
            variable => variable.StartsWith($"{prefix}_", StringComparison.Ordinal) || variable.StartsWith($"HOST_{prefix}_", StringComparison.Ordinal));
        evaluator.Run(text);

        var warnings = new ManifestWarnings(log);
        foreach (MakeDoubt notice in evaluator.Notices)
        {
            warnings.Add($"{notice}.");
        }

        if (evaluator.Declarations.Count == 0)
        {
            log.Warning(
                MessageCodes.ManifestWithoutPackage,
                $"{path}: declares no package (no '$(eval $(generic-package))' or other '$(eval $(…-package))' line), so there is nothing to download from it.");
            return ImmutableArray<ManifestPackage>.Empty;
        }

        var packages = new List<ManifestPackage>();
        foreach (PackageDeclaration declaration in evaluator.Declarations.DistinctBy(d => d.IsHost))
        {
            string packageName = declaration.IsHost ? $"host-{name}" : name;
            if (declaration.Infrastructure == "virtual")
            {
                log.Detail($"{path}: {packageName} is a virtual package: nothing to download.");
                continue;
            }

            if (!GenericDownloads.Contains(declaration.Infrastructure))
            {
                warnings.Add($"{path}:{declaration.Line}: {declaration.Infrastructure}-package is not an infrastructure this reader knows; {packageName} is read with generic-package's download defaults.");
            }

            foreach (MakeDoubt doubt in declaration.Doubts)
            {
                warnings.Add($"{doubt}; {packageName} is read as declared.");
            }

            var mapper = new ManifestPackageMapper(evaluator, declaration, name, packageName, warnings);
            if (mapper.Map() is { } metadata)
            {
                packages.Add(new ManifestPackage(packageName, WithHashFile(metadata, path, name), path));
            }
        }

        return DropHostTwin(packages);
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BrdlException(FailureScope.Package, MessageCodes.ManifestUnreadable, $"Cannot read the package manifest {path}: {e.Message}", e);
        }
    }

    /// <summary>What Buildroot defines before a package's .mk is read, as far as manifests use it.</summary>
    private static IEnumerable<MakeVariable> Predefined(string path, string name, IReadOnlyDictionary<string, string> variables)
    {
        ImmutableArray<MakeDoubt> none = ImmutableArray<MakeDoubt>.Empty;
        yield return MakeVariable.Recursive("github", "https://github.com/$(1)/$(2)/archive/$(3)", 0);
        yield return MakeVariable.Recursive("gitlab", "https://gitlab.com/$(1)/$(2)/-/archive/$(3)", 0);
        yield return MakeVariable.Recursive("qstrip", "$(strip $(subst \",,$(1)))", 0);
        yield return MakeVariable.Simple("empty", string.Empty, 0, none);
        yield return MakeVariable.Simple("space", " ", 0, none);
        yield return MakeVariable.Simple("comma", ",", 0, none);
        yield return MakeVariable.Simple("pkgdir", Path.GetDirectoryName(path) + "/", 0, none);
        yield return MakeVariable.Simple("pkgname", name, 0, none);
        foreach ((string variable, string value) in variables)
        {
            yield return MakeVariable.Simple(variable, value, 0, none);
        }
    }

    /// <summary>
    /// Buildroot's <c>FOO_HASH_FILE</c>: <c>&lt;dir&gt;/&lt;version&gt;/&lt;name&gt;.hash</c> when it
    /// exists, else <c>&lt;dir&gt;/&lt;name&gt;.hash</c>. That one may be absent (the package then has
    /// no hash file, a warning), so it is named only when it is there: a hash file a package names
    /// must exist.
    /// </summary>
    private static ImmutableDictionary<string, string> WithHashFile(ImmutableDictionary<string, string> metadata, string path, string rawName)
    {
        string folder = Path.GetDirectoryName(path)!;
        string hashFile = Path.Combine(folder, $"{rawName}.hash");
        if (metadata.TryGetValue(PackageMetadata.Version, out string? version)
            && PackageVersions.Normalize(version).Sanitized is { Length: > 0 } sanitized
            && PlainNames.Problem(sanitized) is null
            && File.Exists(Path.Combine(folder, sanitized, $"{rawName}.hash")))
        {
            hashFile = Path.Combine(folder, sanitized, $"{rawName}.hash");
        }

        return File.Exists(hashFile) ? metadata.SetItem(PackageMetadata.HashFiles, hashFile) : metadata;
    }

    /// <summary>
    /// A manifest that declares both <c>foo</c> and <c>host-foo</c> usually downloads one file for
    /// both; the host package is kept only when its download differs.
    /// </summary>
    private static ImmutableArray<ManifestPackage> DropHostTwin(List<ManifestPackage> packages)
    {
        if (packages.Count == 2 && packages[0].Metadata.Count == packages[1].Metadata.Count
            && packages[0].Metadata.All(pair => packages[1].Metadata.TryGetValue(pair.Key, out string? other) && other == pair.Value))
        {
            return [packages.Single(p => !p.Name.StartsWith("host-", StringComparison.Ordinal))];
        }

        return [.. packages];
    }
}
