using System.Text.Json;
using Json.Schema;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// Validates a document against the CycloneDX 1.6 JSON schema vendored in
/// <c>testassets/cyclonedx/</c> (with the SPDX and JSF schemas it refers to), offline.
/// </summary>
public static class CycloneDxSchema
{
    public static string Folder => Path.Combine(RepositoryPaths.TestAssets, "cyclonedx");

    /// <summary>The SPDX license list the schema accepts as license ids (<c>spdx.schema.json</c>'s enum).</summary>
    public static string SpdxSchemaFile => Path.Combine(Folder, "spdx.schema.json");

    private static readonly Lazy<JsonSchema> Bom = new(Load);

    /// <summary>Every error, as "where: what"; empty when <paramref name="json"/> is a valid CycloneDX 1.6 BOM.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        EvaluationResults results = Bom.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(detail => detail.Errors is { Count: > 0 })
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation} ({detail.EvaluationPath}): {error.Key}: {error.Value}"))
            .DefaultIfEmpty("invalid, without details")
            .ToList();
    }

    private static JsonSchema Load()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        options.SchemaRegistry.Register(JsonSchema.FromFile(SpdxSchemaFile, options));
        options.SchemaRegistry.Register(JsonSchema.FromFile(Path.Combine(Folder, "jsf-0.82.schema.json"), options));
        return JsonSchema.FromFile(Path.Combine(Folder, "bom-1.6.schema.json"), options);
    }
}
