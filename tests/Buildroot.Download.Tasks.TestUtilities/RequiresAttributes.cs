using Xunit;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A fact that needs the conformance data in <c>../shared/conformance</c>; skipped, saying why,
/// when it is absent.
/// </summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (!Directory.Exists(RepositoryPaths.GitConformance))
        {
            Skip = $"The conformance data is absent: expected {RepositoryPaths.GitConformance} (the shared folder beside the repository).";
        }
    }
}

/// <summary>The theory form of <see cref="ConformanceFactAttribute"/>.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (!Directory.Exists(RepositoryPaths.GitConformance))
        {
            Skip = $"The conformance data is absent: expected {RepositoryPaths.GitConformance} (the shared folder beside the repository).";
        }
    }
}

/// <summary>
/// A fact that needs Buildroot's package tree in <c>../shared/conformance/buildroot-manifests</c>;
/// skipped, saying why, when it is absent.
/// </summary>
public sealed class ManifestConformanceFactAttribute : FactAttribute
{
    public ManifestConformanceFactAttribute()
    {
        if (!Directory.Exists(RepositoryPaths.ManifestConformance))
        {
            Skip = $"The manifest conformance data is absent: expected {RepositoryPaths.ManifestConformance} (the shared folder beside the repository).";
        }
    }
}

/// <summary>
/// A fact that runs real external tools (svn, hg, sshd, go, …). On a developer machine
/// without one of them it is skipped, naming what to install; under CI (<c>CI=true</c>),
/// where <c>.ci/run</c> installs them all, it is never skipped, so a missing tool fails loudly.
/// </summary>
public sealed class RequiresToolsFactAttribute : FactAttribute
{
    public RequiresToolsFactAttribute(params string[] tools)
    {
        Skip = ToolAvailability.SkipReason(tools);
    }
}

/// <summary>The theory form of <see cref="RequiresToolsFactAttribute"/>.</summary>
public sealed class RequiresToolsTheoryAttribute : TheoryAttribute
{
    public RequiresToolsTheoryAttribute(params string[] tools)
    {
        Skip = ToolAvailability.SkipReason(tools);
    }
}

public static class ToolAvailability
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A tool on PATH (or an absolute path that exists).</summary>
    public static string? Find(string tool)
    {
        if (Path.IsPathRooted(tool))
        {
            return File.Exists(tool) ? tool : null;
        }

        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(folder, tool);
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static string? SkipReason(string[] tools)
    {
        string[] missing = tools.Where(t => Find(t) is null).ToArray();
        if (missing.Length == 0 || IsCi)
        {
            return null;
        }

        return $"Needs {string.Join(", ", missing)} on PATH (.ci/run installs them; on Debian: apt-get install the matching packages).";
    }
}

/// <summary>
/// A fact too long for the normal suite (a measurement that takes minutes): it runs only when the
/// environment variable it names is <c>1</c>, and is skipped, saying so, otherwise.
/// </summary>
public sealed class OptInFactAttribute : FactAttribute
{
    public OptInFactAttribute(string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) != "1")
        {
            Skip = $"Runs only with {variable}=1 (it takes minutes).";
        }
    }
}
