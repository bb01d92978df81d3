namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Input quoted in a message is cut to a readable length: a message is for a person, and a
/// megabyte-long line in a hash file or a manifest must neither flood the log nor slow it down.
/// </summary>
internal static class QuotedText
{
    /// <summary>How much of a value a message quotes.</summary>
    public const int MaximumLength = 200;

    /// <summary><paramref name="value"/>, or its start and how much was left out.</summary>
    public static string Cut(string value) =>
        value.Length <= MaximumLength
            ? value
            : $"{value[..MaximumLength]}… ({value.Length - MaximumLength} more characters)";

    /// <summary>
    /// <paramref name="text"/> on one line, its lines trimmed and joined by a space: a warning or an
    /// error is one line, because the console logger repeats "file(line): error CODE:" before every
    /// line of a message and CI turns each such line into an annotation of its own.
    /// </summary>
    public static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal)
            ? string.Join(" ", text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0))
            : text;
}
