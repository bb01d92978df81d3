using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Turns the variables of one declared package (<c>FOO_…</c>, or <c>HOST_FOO_…</c> falling back
/// to <c>FOO_…</c>) into <c>BuildrootPackage</c> metadata, applying what the infrastructure adds
/// (cargo-package and golang-package vendor their dependencies).
/// </summary>
internal sealed class ManifestPackageMapper
{
    private const string CargoManifestSetting = "BR_CARGO_MANIFEST_PATH=";

    private readonly MakefileEvaluator _evaluator;
    private readonly PackageDeclaration _declaration;
    private readonly string _prefix;
    private readonly string _targetPrefix;
    private readonly string _packageName;
    private readonly ManifestWarnings _warnings;
    private readonly ImmutableDictionary<string, string>.Builder _metadata = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
    private bool _refused;

    public ManifestPackageMapper(MakefileEvaluator evaluator, PackageDeclaration declaration, string rawName, string packageName, ManifestWarnings warnings)
    {
        _evaluator = evaluator;
        _declaration = declaration;
        _targetPrefix = $"{ManifestVariable.Prefix(rawName)}_";
        _prefix = declaration.IsHost ? $"HOST_{_targetPrefix}" : _targetPrefix;
        _packageName = packageName;
        _warnings = warnings;
    }

    /// <summary>The metadata, or null when a value the download needs cannot be known (the warnings say which).</summary>
    public ImmutableDictionary<string, string>? Map()
    {
        foreach (ManifestVariable variable in ManifestVariable.All)
        {
            if (Read(variable.Suffix, variable.Inherited, variable.Essential, variable.Metadata) is var (name, value))
            {
                Set(variable, name, value);
            }
        }

        MapInfrastructure();
        MapDownloadEnvironment();
        foreach (string hooks in new[] { "PRE_DOWNLOAD_HOOKS", "POST_DOWNLOAD_HOOKS" })
        {
            if (Read(hooks, inherited: false, essential: false, metadata: null) is var (name, value) && value.Trim().Length > 0)
            {
                _warnings.Add($"{Where(name)}: {name} ({value.Trim()}) is not run: download hooks are make recipes, which this reader does not execute.");
            }
        }

        return _refused ? null : _metadata.ToImmutable();
    }

    /// <summary>cargo-package and golang-package set the post-process and take the sub-folder as where the build starts.</summary>
    private void MapInfrastructure()
    {
        string? postProcess = _declaration.Infrastructure switch
        {
            "cargo" => PostProcessNames.Cargo,
            "golang" => PostProcessNames.Go,
            _ => null,
        };
        if (postProcess is null)
        {
            return;
        }

        _metadata[PackageMetadata.DownloadPostProcess] = postProcess;
        if (Read("SUBDIR", inherited: true, essential: true, metadata: null) is var (_, subdir) && subdir.Trim() is { Length: > 0 } folder)
        {
            if (postProcess == PostProcessNames.Cargo)
            {
                _metadata[PackageMetadata.CargoManifest] = $"{folder}/Cargo.toml";
            }
            else
            {
                _metadata[PackageMetadata.GoSubdir] = folder;
            }
        }
    }

    /// <summary>Of <c>FOO_DL_ENV</c>, only the cargo manifest's path reaches our post-process.</summary>
    private void MapDownloadEnvironment()
    {
        if (Read("DL_ENV", inherited: false, essential: true, metadata: null) is not var (name, value))
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
                _warnings.Add($"{Where(name)}: {name} sets '{setting}', which is not passed to the download: only {CargoManifestSetting}… is understood (as CargoManifest).");
            }
        }
    }

    private void Set(ManifestVariable variable, string name, string value)
    {
        string[] words = MakeTextFunctions.Words(value);
        switch (variable.Kind)
        {
            case ValueKind.Text when words.Length > 0 && variable.Metadata == PackageMetadata.Site:
                // The download helpers read the site through $(call qstrip,…): quotes from the configuration go.
                _metadata[variable.Metadata] = string.Join(' ', MakeTextFunctions.Words(value.Replace("\"", string.Empty, StringComparison.Ordinal)));
                break;
            case ValueKind.Text when words.Length > 0:
                _metadata[variable.Metadata] = string.Join(' ', words);
                break;
            case ValueKind.List when words.Length > 0:
                _metadata[variable.Metadata] = string.Join(';', words);
                break;
            case ValueKind.Raw when words.Length > 0:
                _metadata[variable.Metadata] = value.Trim();
                break;
            case ValueKind.Yes when words.Length > 0:
                string flag = string.Join(' ', words);
                if (flag is not ("YES" or "NO"))
                {
                    _warnings.Add($"{Where(name)}: {name} is '{flag}'; Buildroot only honours YES, so it counts as NO.");
                }

                _metadata[variable.Metadata] = flag == "YES" ? "true" : "false";
                break;
            case ValueKind.NonEmpty when words.Length > 0:
                if (string.Join(' ', words) != "YES")
                {
                    _warnings.Add($"{Where(name)}: {name} is '{string.Join(' ', words)}'; Buildroot turns it on whenever it is not empty, and so does this reader.");
                }

                _metadata[variable.Metadata] = "true";
                break;
        }
    }

    /// <summary>
    /// The expanded value of <c>&lt;prefix&gt;&lt;suffix&gt;</c> (for a host package, falling back to
    /// the target's when <paramref name="inherited"/>); null when undefined or when it cannot be
    /// known, in which case a warning says why and an essential value refuses the package.
    /// </summary>
    private (string Name, string Value)? Read(string suffix, bool inherited, bool essential, string? metadata)
    {
        string name = _prefix + suffix;
        MakeVariable? variable = _evaluator.Lookup(name);
        if (variable is null && inherited && _declaration.IsHost)
        {
            name = _targetPrefix + suffix;
            variable = _evaluator.Lookup(name);
        }

        if (variable is null)
        {
            return null;
        }

        Expansion value = _evaluator.Expander.ValueOf(name, variable.Parts[0].Line);
        if (value.IsCertain)
        {
            return (name, value.Text);
        }

        string reasons = string.Join("; ", value.Doubts);
        if (essential)
        {
            _refused = true;
            _warnings.Add($"{reasons}. {name} depends on it, so package '{_packageName}' is skipped: give the missing variables values through the Variables of ReadBuildrootManifests, or declare the package as a BuildrootPackage item.");
        }
        else if (metadata is null)
        {
            _warnings.Add($"{reasons}. {name} depends on it.");
        }
        else
        {
            string consequence = metadata == PackageMetadata.Site ? " (only mirrors can serve the package)" : string.Empty;
            _warnings.Add($"{reasons}. {name} depends on it, so {metadata} is left unset{consequence}.");
        }

        return null;
    }

    private string Where(string variableName) =>
        $"{_evaluator.Expander.FileName}:{_evaluator.Lookup(variableName)?.Parts[0].Line ?? _declaration.Line}";
}
