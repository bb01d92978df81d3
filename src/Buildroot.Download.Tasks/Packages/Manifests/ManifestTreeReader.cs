using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Reads the manifests of one build as Buildroot reads its tree: every file into one make
/// namespace, in Buildroot's order, after the package infrastructures (ours, with the archive
/// suffixes of the tree's own <c>package/pkg-download.mk</c>), following includes; then each
/// declared package is read from the namespace. A package whose download cannot be known is
/// left out with one warning naming file, line and reason; nothing here is an error but an
/// unreadable manifest or a package declared twice.
/// </summary>
internal sealed class ManifestTreeReader
{
    private readonly IBuildLog _log;
    private readonly HashSet<string> _packagePrefixes = new(StringComparer.Ordinal);

    /// <summary>The hash codes of <see cref="_packagePrefixes"/>: a name's start is looked up without cutting it out first.</summary>
    private readonly HashSet<int> _packagePrefixHashes = [];
    private readonly Dictionary<string, bool> _isPackageVariable = new(StringComparer.Ordinal);
    private MakefileEvaluator _evaluator = null!;
    private int _declarationsSeen;

    private ManifestTreeReader(IBuildLog log)
    {
        _log = log;
    }

    /// <param name="manifests">Full paths of the <c>.mk</c> files, in any order (duplicates are read once).</param>
    /// <param name="variables">Values for variables the manifests use but do not define (<c>BR2_GNU_MIRROR</c>, …).</param>
    /// <param name="log">Where warnings go.</param>
    public static ManifestTree Read(IReadOnlyList<string> manifests, IReadOnlyDictionary<string, string> variables, IBuildLog log) =>
        new ManifestTreeReader(log).ReadAll(manifests, variables);

    private ManifestTree ReadAll(IReadOnlyList<string> manifests, IReadOnlyDictionary<string, string> variables)
    {
        List<string> manifestFiles = [];
        foreach (string path in manifests.Distinct(StringComparer.Ordinal))
        {
            if (ManifestOrder.IsInfrastructure(path))
            {
                _log.Detail($"{path}: a package infrastructure, not a manifest; this reader has its own (see the README's manifest section).");
            }
            else
            {
                manifestFiles.Add(path);
            }
        }

        IReadOnlyList<string> ordered = ManifestOrder.Sort(manifestFiles);
        foreach (string path in ordered)
        {
            AddPackagePrefix(ManifestVariable.Prefix(Path.GetFileName(Path.GetDirectoryName(path)!)));
        }

        using var files = new ManifestFiles(ordered);
        _evaluator = new MakefileEvaluator(
            Predefined(ordered, variables),
            IsPackageVariable,
            path => path == PackageInfrastructures.FileName ? null : ManifestOrder.TopDirectory(path),
            PackageInfrastructures.Natives,
            files.Text);
        _evaluator.ReadFile(PackageInfrastructures.FileName, PackageInfrastructures.Text);
        foreach (string path in ordered.Where(path => !_evaluator.HasRead(path)))
        {
            _evaluator.ReadFile(path, files.Text(path) ?? ReadText(path));
        }

        return Collect(files);
    }

    /// <summary>The archive suffixes of the tree's release, then the user's values (the configuration's, in Buildroot).</summary>
    private IEnumerable<MakeVariable> Predefined(IReadOnlyList<string> ordered, IReadOnlyDictionary<string, string> variables)
    {
        ImmutableDictionary<string, string> suffixes = PackageInfrastructures.CurrentFormatSuffixes;
        string? pkgDownload = ordered
            .Select(path => Path.Combine(ManifestOrder.TopDirectory(path), "package", "pkg-download.mk"))
            .FirstOrDefault(File.Exists);
        if (pkgDownload is not null)
        {
            suffixes = PackageInfrastructures.FormatSuffixesOf(pkgDownload, ReadText(pkgDownload));
            _log.Detail($"Archive names follow {pkgDownload}: {string.Join(", ", suffixes.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"))}.");
        }

        foreach ((string name, string value) in suffixes)
        {
            yield return MakeVariable.Simple(name, value, pkgDownload ?? PackageInfrastructures.FileName, 0, ImmutableArray<MakeDoubt>.Empty);
        }

        foreach ((string name, string value) in variables)
        {
            yield return MakeVariable.Simple(name, value, "(BuildrootManifestVariable)", 0, ImmutableArray<MakeDoubt>.Empty);
        }
    }

    /// <summary>
    /// A package's own variables are simply empty when undefined, as in make; so are the archive
    /// suffixes of methods that have none. Anything else undefined (the configuration) is a doubt.
    /// </summary>
    private bool IsPackageVariable(string name)
    {
        if (name.StartsWith("BR_FMT_VERSION_", StringComparison.Ordinal))
        {
            return true;
        }

        for (; _declarationsSeen < _evaluator.Declarations.Count; _declarationsSeen++)
        {
            if (AddPackagePrefix(_evaluator.Declarations[_declarationsSeen].TargetPrefix))
            {
                _isPackageVariable.Clear();
            }
        }

        if (_isPackageVariable.TryGetValue(name, out bool known))
        {
            return known;
        }

        return _isPackageVariable[name] = HasPackagePrefix(name);
    }

    private bool AddPackagePrefix(string prefix)
    {
        _packagePrefixHashes.Add(string.GetHashCode(prefix.AsSpan()));
        return _packagePrefixes.Add(prefix);
    }

    private bool HasPackagePrefix(string name)
    {
        ReadOnlySpan<char> rest = name.AsSpan(name.StartsWith("HOST_", StringComparison.Ordinal) ? 5 : 0);
        for (int underscore = rest.IndexOf('_'); underscore > 0; underscore = NextUnderscore(rest, underscore))
        {
            ReadOnlySpan<char> prefix = rest[..underscore];
            if (_packagePrefixHashes.Contains(string.GetHashCode(prefix)) && _packagePrefixes.Contains(prefix.ToString()))
            {
                return true;
            }
        }

        return false;
    }

    private static int NextUnderscore(ReadOnlySpan<char> text, int underscore)
    {
        int next = text[(underscore + 1)..].IndexOf('_');
        return next < 0 ? -1 : underscore + 1 + next;
    }

    /// <summary>
    /// Two declarations of one package by one manifest, each under a condition that cannot be
    /// decided (u-boot's <c>generic-package</c> for one build system, <c>kconfig-package</c> for
    /// the other): make sees only one of them, so this is one package, not two.
    /// </summary>
    private static bool IsAlternative(PackageDeclaration first, PackageDeclaration again) =>
        first.File == again.File && !first.Doubts.IsEmpty && !again.Doubts.IsEmpty;

    private ManifestTree Collect(ManifestFiles files)
    {
        var packages = new List<ManifestPackage>();
        var leftOut = new List<LeftOutPackage>();
        var nothing = ImmutableDictionary.CreateBuilder<string, ImmutableArray<string>>(StringComparer.Ordinal);
        var definedBy = new Dictionary<string, PackageDeclaration>(StringComparer.Ordinal);
        ILookup<string, MakeDoubt> noticesByFile = _evaluator.Notices.ToLookup(notice => notice.File, StringComparer.Ordinal);
        var filesWithPackages = new HashSet<string>(StringComparer.Ordinal);
        var twins = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        Func<string, bool> fileExists = files.Exists;

        foreach (IGrouping<string, PackageDeclaration> file in _evaluator.Declarations.GroupBy(d => d.File, StringComparer.Ordinal))
        {
            filesWithPackages.Add(file.Key);
            var outcomes = new List<PackageOutcome>();
            foreach (PackageDeclaration declaration in file)
            {
                if (definedBy.TryGetValue(declaration.Name, out PackageDeclaration? first))
                {
                    if (IsAlternative(first, declaration))
                    {
                        _log.Detail($"{declaration.File}:{declaration.Line}: package '{declaration.Name}' is declared again in another branch of a condition that cannot be decided (also line {first.Line}); it is read once, from line {first.Line}.");
                    }
                    else
                    {
                        _log.Error(
                            MessageCodes.PackageDefinedTwice,
                            $"Package '{declaration.Name}' is declared by {declaration.File} and already by {first.File}; a package comes from one manifest only.",
                            new SourceLocation(declaration.File, declaration.Line));
                    }

                    continue;
                }

                definedBy[declaration.Name] = declaration;
                PackageReading reading = new ManifestPackageMapper(_evaluator, declaration).Map();
                PackageOutcome outcome = PackageOutcome.Decide(declaration, reading, [.. noticesByFile[declaration.File]], fileExists);
                outcomes.Add(outcome);
                if (outcome.LeftOut is { } left)
                {
                    leftOut.Add(left);
                }
                else if (outcome.NothingToDownload is { } dependencies)
                {
                    nothing[declaration.Name] = dependencies;
                }
            }

            List<ManifestPackage> fromFile = [.. outcomes.Select(o => o.Package).OfType<ManifestPackage>()];
            List<ManifestPackage> kept = [.. DropHostTwins(fromFile, twins)];
            packages.AddRange(kept);
            foreach (PackageOutcome outcome in outcomes)
            {
                if (outcome.Detail is { } detail)
                {
                    _log.Detail(detail);
                }

                // A host package that shares its target package's download is said about once, with the target package.
                if (outcome.Warning is { } warning && (outcome.Package is null || kept.Contains(outcome.Package)))
                {
                    _log.Warning(warning.Code, warning.Text, warning.Location);
                }
            }
        }

        foreach (MakeDoubt notice in _evaluator.Notices.Where(n => !filesWithPackages.Contains(n.File)).Distinct())
        {
            _log.Warning(MessageCodes.ManifestConstructNotUnderstood, $"{notice}.", new SourceLocation(notice.File, notice.Line));
        }

        return new ManifestTree([.. packages], [.. leftOut], nothing.ToImmutable(), twins.ToImmutable());
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

    /// <summary>
    /// A manifest that declares both <c>foo</c> and <c>host-foo</c> usually downloads one file for
    /// both; the host package is kept only when its download differs.
    /// </summary>
    private static IEnumerable<ManifestPackage> DropHostTwins(List<ManifestPackage> packages, ImmutableDictionary<string, string>.Builder twins)
    {
        // By name, so that each host package finds its target twin at once (a whole tree has about a thousand).
        var byName = new Dictionary<string, ManifestPackage>(StringComparer.Ordinal);
        foreach (ManifestPackage package in packages)
        {
            byName.TryAdd(package.Name, package);
        }

        foreach (ManifestPackage package in packages)
        {
            string? target = package.Name.StartsWith("host-", StringComparison.Ordinal) ? package.Name[5..] : null;
            if (target is not null && byName.TryGetValue(target, out ManifestPackage? other) && SameDownload(other, package))
            {
                twins[package.Name] = target;
            }
            else
            {
                yield return package;
            }
        }
    }

    private static bool SameDownload(ManifestPackage a, ManifestPackage b) =>
        a.Metadata.Count == b.Metadata.Count
        && a.Metadata.All(pair => b.Metadata.TryGetValue(pair.Key, out string? other) && other == pair.Value);
}
