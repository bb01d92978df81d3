using System.Collections.Immutable;
using Buildroot.Download.Tasks.Download;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>What could not be known about one package: the variable, and why (each reason naming its file and line).</summary>
internal sealed record UnknownValue(string Variable, bool Downloads, ImmutableArray<MakeDoubt> Reasons);

/// <summary>One declared package read from the namespace: its metadata, and what could not be known about it.</summary>
internal sealed record PackageReading(
    ImmutableDictionary<string, string> Metadata,
    ImmutableArray<string> Dependencies,
    ImmutableArray<UnknownValue> Unknown,
    ImmutableArray<MakeDoubt> NotFollowed,
    bool IsVirtual)
{
    /// <summary>True when something that decides the download cannot be known: the package is left out.</summary>
    public bool DownloadUnknown => Unknown.Any(u => u.Downloads) || !NotFollowed.IsEmpty;
}

/// <summary>
/// Turns the variables of one declared package (<c>FOO_…</c> or <c>HOST_FOO_…</c>, after the
/// infrastructure set its defaults and inheritance) into <c>BuildrootPackage</c> metadata.
/// </summary>
internal sealed class ManifestPackageMapper
{
    private const string CargoManifestSetting = "BR_CARGO_MANIFEST_PATH=";

    private static readonly string[] DependencySuffixes = ["DEPENDENCIES", "DOWNLOAD_DEPENDENCIES", "EXTRACT_DEPENDENCIES", "PATCH_DEPENDENCIES"];

    private readonly MakefileEvaluator _evaluator;
    private readonly string _prefix;
    private readonly ImmutableDictionary<string, string>.Builder _metadata = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
    private readonly List<UnknownValue> _unknown = [];
    private readonly List<MakeDoubt> _notFollowed = [];

    public ManifestPackageMapper(MakefileEvaluator evaluator, PackageDeclaration declaration)
    {
        _evaluator = evaluator;
        _prefix = declaration.Prefix + "_";
    }

    public PackageReading Map()
    {
        foreach (ManifestVariable variable in ManifestVariable.All)
        {
            if (Read(variable.Suffix, variable.Downloads) is { } value)
            {
                Set(variable, value);
            }
        }

        MapSiteMethod();
        MapPostProcessOptions();
        MapDownloadEnvironment();
        foreach (string hooks in new[] { "PRE_DOWNLOAD_HOOKS", "POST_DOWNLOAD_HOOKS" })
        {
            if (Read(hooks, downloads: true) is { } value && value.Trim().Length > 0)
            {
                NotFollowed(hooks, $"{_prefix}{hooks} ({value.Trim()}) is not run: download hooks are make recipes, which this reader does not execute");
            }
        }

        bool isVirtual = Certain("IS_VIRTUAL") is { } flag && flag.Trim() == "YES";
        return new PackageReading(_metadata.ToImmutable(), Dependencies(), [.. _unknown], [.. _notFollowed], isVirtual);
    }

    /// <summary>
    /// <c>FOO_SITE_METHOD</c>: a method name is kept; the scheme the infrastructure took from the
    /// site (<c>https</c>, or the whole site when it has none) is left for the defaults, which
    /// derive the same backend from the site as Buildroot's download wrapper does.
    /// </summary>
    private void MapSiteMethod()
    {
        if (Read("SITE_METHOD", downloads: true) is { } method && method.Trim().ToLowerInvariant() is { Length: > 0 } name
            && DownloadMethods.Find(name) is not null)
        {
            _metadata[PackageMetadata.SiteMethod] = name;
        }
    }

    /// <summary>The post-process options the infrastructures set: <c>-m&lt;Cargo.toml&gt;</c> for cargo, <c>-s&lt;folder&gt;</c> for go.</summary>
    private void MapPostProcessOptions()
    {
        if (Read("DOWNLOAD_POST_PROCESS_OPTS", downloads: true) is not { } options)
        {
            return;
        }

        foreach (string option in MakeTextFunctions.Words(options))
        {
            if (option.StartsWith("-m", StringComparison.Ordinal) && option.Length > 2)
            {
                _metadata[PackageMetadata.CargoManifest] = option[2..];
            }
            else if (option.StartsWith("-s", StringComparison.Ordinal) && option.Length > 2)
            {
                _metadata[PackageMetadata.GoSubdir] = option[2..];
            }
        }
    }

    /// <summary>Of <c>FOO_DL_ENV</c>, only the cargo manifest's path (Buildroot before 2024.05) reaches our post-process.</summary>
    private void MapDownloadEnvironment()
    {
        if (Read("DL_ENV", downloads: true) is not { } value)
        {
            return;
        }

        foreach (string setting in MakeTextFunctions.Words(value))
        {
            if (setting.StartsWith(CargoManifestSetting, StringComparison.Ordinal))
            {
                _metadata[PackageMetadata.CargoManifest] = setting[CargoManifestSetting.Length..];
            }
            else
            {
                NotFollowed("DL_ENV", $"{_prefix}DL_ENV sets '{setting}', which is not passed to the download: only {CargoManifestSetting}… is understood (as CargoManifest)");
            }
        }
    }

    /// <summary>What the package needs (its dependency variables), as far as it is known for sure.</summary>
    private ImmutableArray<string> Dependencies() =>
        DependencySuffixes
            .Select(Certain)
            .SelectMany(value => MakeTextFunctions.Words(value ?? string.Empty))
            .Distinct(StringComparer.Ordinal)
            .ToImmutableArray();

    private void Set(ManifestVariable variable, string value)
    {
        string[] words = MakeTextFunctions.Words(value);
        if (words.Length == 0)
        {
            return;
        }

        _metadata[variable.Metadata] = variable.Kind switch
        {
            // The download helpers read the site through $(call qstrip,…): quotes from the configuration go.
            ValueKind.Text when variable.Metadata == PackageMetadata.Site => string.Join(' ', MakeTextFunctions.Words(value.Replace("\"", string.Empty, StringComparison.Ordinal))),
            ValueKind.Text => string.Join(' ', words),
            ValueKind.List => string.Join(';', words),
            ValueKind.Raw => value.Trim(),
            ValueKind.Yes => string.Join(' ', words) == "YES" ? "true" : "false",
            _ => "true", // NonEmpty: on whenever it is set
        };
    }

    /// <summary>The expanded value of <c>&lt;prefix&gt;&lt;suffix&gt;</c>; null when undefined, or when it cannot be known (then recorded).</summary>
    private string? Read(string suffix, bool downloads)
    {
        string name = _prefix + suffix;
        MakeVariable? variable = _evaluator.Lookup(name);
        if (variable is null && _evaluator.DoubtsAbout(name).IsEmpty)
        {
            return null;
        }

        Expansion value = _evaluator.Expander.ValueOf(name, variable);
        if (value.IsCertain)
        {
            return value.Text;
        }

        _unknown.Add(new UnknownValue(name, downloads, value.Doubts));
        return null;
    }

    /// <summary>The value when it is known for sure, else null (without recording anything).</summary>
    private string? Certain(string suffix)
    {
        string name = _prefix + suffix;
        if (_evaluator.Lookup(name) is not { } variable)
        {
            return null;
        }

        Expansion value = _evaluator.Expander.ValueOf(name, variable);
        return value.IsCertain ? value.Text : null;
    }

    private void NotFollowed(string suffix, string text)
    {
        MakeText origin = _evaluator.Lookup(_prefix + suffix)!.Origin;
        _notFollowed.Add(new MakeDoubt(origin.File, origin.Line, text));
    }
}
