using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Buildroot's package infrastructures as this reader knows them (<c>PackageInfrastructures.mk</c>,
/// an embedded makefile read before any manifest), the natively computed macros, and the archive
/// format suffixes of the Buildroot release a tree comes from.
/// </summary>
internal static class PackageInfrastructures
{
    /// <summary>The macro the infrastructures call to record a declared package.</summary>
    public const string DeclareHook = "__brdl_declare";

    /// <summary>The name the embedded makefile goes by in messages.</summary>
    public const string FileName = "(Buildroot.Download.Tasks)/package-infrastructures.mk";

    /// <summary>The current release's suffixes (package/pkg-download.mk), for trees that do not say.</summary>
    public static readonly ImmutableDictionary<string, string> CurrentFormatSuffixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BR_FMT_VERSION_git"] = "-git4",
        ["BR_FMT_VERSION_svn"] = "-svn5",
        ["BR_FMT_VERSION_go"] = "-go2",
        ["BR_FMT_VERSION_cargo"] = "-cargo6",
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private static readonly Lazy<string> LazyText = new(() =>
    {
        using Stream stream = typeof(PackageInfrastructures).Assembly.GetManifestResourceStream("Buildroot.Download.Tasks.PackageInfrastructures.mk")
            ?? throw new InvalidOperationException("The embedded PackageInfrastructures.mk is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The makefile text that defines <c>generic-package</c>, <c>python-package</c>, … and their helpers.</summary>
    public static string Text => LazyText.Value;

    /// <summary>Buildroot's case conversions, which it writes as (slow) make macros.</summary>
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<string>, string>> Natives =
        new Dictionary<string, Func<IReadOnlyList<string>, string>>(StringComparer.Ordinal)
        {
            ["UPPERCASE"] = arguments => ManifestVariable.Prefix(First(arguments)),
            ["LOWERCASE"] = arguments => ManifestVariable.Lowercase(First(arguments)),
        };

    /// <summary>
    /// The archive format suffixes (<c>BR_FMT_VERSION_git</c>, …) of the Buildroot release whose
    /// <c>package/pkg-download.mk</c> this is: the tree names its archives by them (<c>-br1</c> in
    /// 2024.02, <c>-git4</c> today). Only values the file sets for sure count.
    /// </summary>
    public static ImmutableDictionary<string, string> FormatSuffixesOf(string pkgDownloadPath, string text)
    {
        var evaluator = new MakefileEvaluator([], _ => false, _ => null, Natives);
        evaluator.ReadFile(pkgDownloadPath, text);
        var suffixes = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (string name in evaluator.VariableNames.Where(name => name.StartsWith("BR_FMT_VERSION_", StringComparison.Ordinal)))
        {
            Expansion value = evaluator.Expander.ValueOf(name);
            if (value.IsCertain)
            {
                suffixes[name] = value.Text.Trim();
            }
        }

        return suffixes.ToImmutable();
    }

    private static string First(IReadOnlyList<string> arguments) => arguments.Count > 0 ? arguments[0].Trim() : string.Empty;
}
