using System.Text;
using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// What one <c>dotnet</c> run did, as a user would see it: the exit code, the console output,
/// the <c>BRDL</c> codes MSBuild printed (<c>warning BRDL0201:</c>), the
/// <c>BuildrootDownloadedFile</c> items the project reported, and the binary log for diagnosis.
/// </summary>
internal sealed partial class BuildResult
{
    public BuildResult(string commandLine, int exitCode, string output, string? binlogPath, TimeSpan elapsed)
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        Output = output;
        BinlogPath = binlogPath;
        Elapsed = elapsed;

        var warnings = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match match in CodedDiagnostic().Matches(output))
        {
            (match.Groups["severity"].Value == "error" ? errors : warnings).Add(match.Groups["code"].Value);
        }

        WarningCodes = warnings;
        ErrorCodes = errors;
        DownloadedFiles = DownloadedFileLine().Matches(output)
            .Select(m => new DownloadedFile(m.Groups["path"].Value, m.Groups["package"].Value, Flag(m.Groups["transient"].Value), Flag(m.Groups["verified"].Value)))
            .Distinct()
            .ToList();
    }

    public string CommandLine { get; }

    public int ExitCode { get; }

    public bool Succeeded => ExitCode == 0;

    public string Output { get; }

    public string? BinlogPath { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>The distinct codes of every <c>warning BRDLxxxx:</c> printed.</summary>
    public IReadOnlySet<string> WarningCodes { get; }

    /// <summary>The distinct codes of every <c>error BRDLxxxx:</c> printed.</summary>
    public IReadOnlySet<string> ErrorCodes { get; }

    public IEnumerable<string> AllCodes => WarningCodes.Concat(ErrorCodes);

    /// <summary>The <c>BuildrootDownloadedFile</c> items, as the report target of <see cref="EndToEndProject"/> printed them.</summary>
    public IReadOnlyList<DownloadedFile> DownloadedFiles { get; }

    /// <summary>The printed lines that carry <paramref name="code"/>.</summary>
    public IEnumerable<string> LinesWith(string code) =>
        Output.Split('\n').Where(line => line.Contains($" {code}:", StringComparison.Ordinal)).Select(line => line.TrimEnd('\r'));

    /// <summary>Everything needed to understand a failed assertion without rerunning it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"$ {CommandLine}");
        text.AppendLine($"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s; binary log: {BinlogPath ?? "(none)"} (kept when BRDL_E2E_KEEP=1)");
        text.AppendLine(Output);
        return text.ToString();
    }

    // MSBuild metadata is text: "true", "True" or "YES" all mean yes; anything else is kept as unknown.
    private static bool? Flag(string value) =>
        bool.TryParse(value, out bool flag) ? flag : value.Equals("YES", StringComparison.OrdinalIgnoreCase) ? true : value.Equals("NO", StringComparison.OrdinalIgnoreCase) ? false : null;

    // MSBuild prints "<origin> : warning BRDL0201: <text> [<project>]" (and once more in the summary).
    [GeneratedRegex(@"\b(?<severity>warning|error) (?<code>BRDL\d{4})\s*:")]
    private static partial Regex CodedDiagnostic();

    [GeneratedRegex(EndToEndProject.DownloadedFileMarker + @"\|(?<path>[^|\r\n]*)\|(?<package>[^|\r\n]*)\|(?<transient>[^|\r\n]*)\|(?<verified>[^|\r\n]*)\r?$", RegexOptions.Multiline)]
    private static partial Regex DownloadedFileLine();
}

/// <summary>One <c>BuildrootDownloadedFile</c> item: its identity (a full path) and metadata.</summary>
internal sealed record DownloadedFile(string Path, string Package, bool? Transient, bool? Verified);
