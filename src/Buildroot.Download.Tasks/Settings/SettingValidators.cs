using System.Globalization;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Settings;

/// <summary>
/// One validator per kind of value a <c>Buildroot…</c> property holds. Each takes the property's
/// raw text (tasks take every setting as a string: a typed task parameter would make MSBuild fail
/// with its own MSB error before the task could explain anything), returns the value, and
/// otherwise throws a <see cref="BrdlException"/> that names the property, repeats the value and
/// lists what is accepted. An empty value always means the property's default.
/// </summary>
internal static class SettingValidators
{
    /// <summary>The schemes a mirror (primary or backup site) may use: Buildroot fetches mirrors as plain files.</summary>
    private static readonly string[] MirrorSchemes = ["http", "https", "ftp", "ftps", "smb", "file", "scp", "sftp"];

    /// <summary><c>true</c>/<c>false</c>, or Buildroot's <c>YES</c>/<c>NO</c>, in any case.</summary>
    public static bool Boolean(string property, string? value, bool whenEmpty) =>
        MetadataValues.ParseBoolean(value, whenEmpty)
        ?? throw Invalid(MessageCodes.InvalidBoolean, property, value, "is not a yes/no value: use true or false (YES and NO work too), or leave it empty for the default");

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    /// <param name="whenEmpty">The default, used for an empty value.</param>
    /// <param name="defaultDescription">What the default is, for the message ("twice the number of cores").</param>
    public static int Count(string property, string? value, int whenEmpty, int minimum, int maximum, string defaultDescription)
    {
        string trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return whenEmpty;
        }

        return int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= minimum && count <= maximum
            ? count
            : throw Invalid(MessageCodes.InvalidNumberSetting, property, value, $"is not a whole number from {minimum} to {maximum}: give one, or leave it empty for the default ({defaultDescription})");
    }

    /// <summary>
    /// A time limit in seconds: a positive number (<c>90</c>, <c>2.5</c>); <c>0</c> means no limit
    /// when <paramref name="zeroMeansNoLimit"/>, and is then returned as <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public static TimeSpan Seconds(string property, string? value, TimeSpan whenEmpty, bool zeroMeansNoLimit)
    {
        string trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return whenEmpty;
        }

        const double mostSeconds = 7 * 24 * 3600;
        bool parsed = double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds);
        if (parsed && seconds == 0 && zeroMeansNoLimit)
        {
            return Timeout.InfiniteTimeSpan;
        }

        if (parsed && seconds > 0 && seconds <= mostSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        string zero = zeroMeansNoLimit ? ", 0 for no limit" : string.Empty;
        throw Invalid(MessageCodes.InvalidTimeLimit, property, value, $"is not a time limit: give a number of seconds greater than 0 and at most a week (90, 2.5){zero}, or leave it empty for the default ({whenEmpty.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)");
    }

    /// <summary>A folder: a path (relative ones are taken from <paramref name="baseDirectory"/>), returned in full.</summary>
    /// <param name="howToSet">What to do when it is empty ("set it, or the BR2_DL_DIR environment variable, to the download folder").</param>
    public static string Directory(string property, string? value, string baseDirectory, string howToSet)
    {
        string trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new BrdlException(FailureScope.Build, MessageCodes.InvalidSetting, $"{property} is empty: {howToSet}.");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw Invalid(MessageCodes.InvalidSetting, property, value, "holds control characters: give the path of a folder");
        }

        string full = Path.GetFullPath(trimmed, baseDirectory);
        return File.Exists(full)
            ? throw Invalid(MessageCodes.InvalidSetting, property, value, $"is a file ({full}), not a folder: give the path of a folder")
            : full;
    }

    /// <summary>
    /// A mirror URL (<c>BuildrootPrimarySite</c>, <c>BuildrootBackupSite</c>): one absolute URL whose
    /// scheme Buildroot fetches plain files with; null when empty (no such mirror).
    /// </summary>
    public static string? Site(string property, string? value)
    {
        string trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (trimmed.StartsWith('-'))
        {
            throw Invalid(MessageCodes.ValueLooksLikeOption, property, value, "starts with '-', so a download tool would read it as an option: give a URL");
        }

        int separator = trimmed.IndexOf("://", StringComparison.Ordinal);
        string scheme = separator > 0 ? trimmed[..separator].ToLowerInvariant() : string.Empty;
        if (!MirrorSchemes.Contains(scheme) || trimmed.Length == separator + 3 || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Invalid(MessageCodes.InvalidSiteSetting, property, value, $"is not a mirror URL: give one absolute URL starting with {string.Join("://, ", MirrorSchemes)}://, or leave it empty for none");
        }

        return trimmed;
    }

    /// <summary>An external program: a name looked up on PATH, or a path; <paramref name="whenEmpty"/> when empty.</summary>
    public static string Program(string property, string? value, string whenEmpty)
    {
        string trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            return whenEmpty;
        }

        return trimmed.StartsWith('-') || trimmed.Any(char.IsControl)
            ? throw Invalid(MessageCodes.ValueLooksLikeOption, property, value, $"is not a program: give the name of the program on PATH or its path (default {whenEmpty})")
            : trimmed;
    }

    private static BrdlException Invalid(string code, string property, string? value, string problem) =>
        new(FailureScope.Build, code, SecretRedactor.Redact($"{property} '{QuotedText.Cut(value?.Trim() ?? string.Empty)}' {problem}."));
}
