namespace Buildroot.Download.Tasks.Packages;

/// <summary>How item metadata spell lists and yes/no values.</summary>
internal static class MetadataValues
{
    /// <summary>
    /// <c>true</c>/<c>yes</c> and <c>false</c>/<c>no</c> in any case (MSBuild's and Buildroot's
    /// spellings), empty meaning <paramref name="whenEmpty"/>; null for anything else.
    /// </summary>
    public static bool? ParseBoolean(string? value, bool whenEmpty)
    {
        string trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return whenEmpty;
        }

        if (trimmed.Equals("true", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (trimmed.Equals("false", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return null;
    }

    /// <summary>An MSBuild list: <c>;</c>-separated, blanks around each value dropped, empty values skipped.</summary>
    public static string[] SplitList(string? value) =>
        (value ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
