namespace Buildroot.Download.Tasks.Release;

/// <summary>
/// The SPDX license identifiers the CycloneDX 1.6 schema accepts as a license <c>id</c> (its
/// <c>spdx.schema.json</c>, SPDX license list 3.28.0, embedded as <c>spdx-license-ids.txt</c>):
/// what decides whether a Buildroot license string is an identifier or only a name.
/// </summary>
internal static class SpdxLicenseIds
{
    private const string ResourceName = "Buildroot.Download.Tasks.spdx-license-ids.txt";

    private static readonly Lazy<Dictionary<string, string>> ByName = new(Load);

    /// <summary>Every identifier, spelled as SPDX spells it.</summary>
    public static IEnumerable<string> All => ByName.Value.Values;

    /// <summary>
    /// The identifier <paramref name="text"/> names, spelled as SPDX spells it (identifiers match
    /// whatever their case, as SPDX says); null when it names none.
    /// </summary>
    public static string? Find(string text) => ByName.Value.GetValueOrDefault(text);

    private static Dictionary<string, string> Load()
    {
        using Stream stream = typeof(SpdxLicenseIds).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing from the task assembly.");
        using var reader = new StreamReader(stream);
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } id)
            {
                ids[id] = id;
            }
        }

        return ids;
    }
}
