using System.Text.Json;
using System.Text.Json.Serialization;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// <c>$(BaseIntermediateOutputPath)buildroot-show-info.json</c>, as the public contract describes it:
/// <c>{"packages":[{"name","version","method","dlSubdir","transient","hashFiles":[…],"files":[{"name","path","uris":[{"method","uri"}],"caches":[{"position","url","access","problem"}]}]}]}</c>.
/// </summary>
internal sealed record ShowInfo(IReadOnlyList<ShowInfoPackage> Packages)
{
    public const string FileName = "buildroot-show-info.json";

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static ShowInfo Read(string path) =>
        JsonSerializer.Deserialize<ShowInfo>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} holds no JSON object.");

    public ShowInfoPackage Package(string name) =>
        Packages.SingleOrDefault(p => p.Name == name) ?? throw new ShouldAssertException($"No package '{name}' in the show-info JSON; it has: {string.Join(", ", Packages.Select(p => p.Name))}.");
}

internal sealed record ShowInfoPackage(
    string Name,
    string Version,
    string Method,
    string DlSubdir,
    [property: JsonConverter(typeof(LenientBooleanConverter))] bool Transient,
    IReadOnlyList<string> HashFiles,
    IReadOnlyList<ShowInfoFile> Files);

internal sealed record ShowInfoFile(string Name, string Path, IReadOnlyList<ShowInfoUri> Uris, IReadOnlyList<ShowInfoCache>? Caches);

/// <summary>An asset cache a file would be looked up in: its place in item order, the entry's URL (no secret), read or readwrite, and why it cannot be used, if so.</summary>
internal sealed record ShowInfoCache(int Position, string? Url, string Access, string? Problem);

internal sealed record ShowInfoUri(string Method, string Uri);

/// <summary>A JSON boolean, or a string that MSBuild would read as one.</summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.String => reader.GetString() is "true" or "True" or "YES",
            _ => throw new JsonException($"Expected a boolean, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
