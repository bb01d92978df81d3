using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// What a binary log holds. A <c>.binlog</c> is a gzip stream of records whose strings
/// (properties, items, messages, environment) are stored as UTF-8: searching the unpacked bytes
/// tells whether a secret was written anywhere in it. Its warnings and errors, with the file and
/// line each carries, are read by MSBuild itself: <c>dotnet msbuild build.binlog</c> replays the
/// log's events into a file logger, which prints each as <c>file(line): error CODE: text</c>.
/// </summary>
internal static partial class BinaryLog
{
    public static string Text(BuildResult result)
    {
        string path = result.BinlogPath ?? throw new InvalidOperationException("The build wrote no binary log.");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Every distinct BRDL warning and error the log recorded, with its file and line (0: none).</summary>
    public static async Task<IReadOnlyList<LoggedDiagnostic>> DiagnosticsAsync(BuildResult result, Action<ProcessStartInfo> prepareEnvironment)
    {
        string binlog = result.BinlogPath ?? throw new InvalidOperationException("The build wrote no binary log.");
        string replayed = Path.ChangeExtension(binlog, ".replayed.log");
        var startInfo = new ProcessStartInfo(PackedPackage.DotNet) { WorkingDirectory = Path.GetDirectoryName(binlog)! };
        foreach (string argument in (string[])["msbuild", binlog, "-noconlog", "-nodeReuse:false", $"-flp:logfile={replayed};verbosity=quiet;encoding=utf-8"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        prepareEnvironment(startInfo);
        using (var replay = ChildProcess.Start(startInfo))
        {
            replay.CloseInput();
            await replay.WaitForExitAsync(TimeSpan.FromMinutes(2)); // exits 1 when the replayed build failed
            File.Exists(replayed).ShouldBeTrue($"dotnet msbuild {binlog} wrote no log:{Environment.NewLine}{replay.Output}");
        }

        return File.ReadAllLines(replayed)
            .Select(line => Located().Match(line))
            .Where(match => match.Success)
            .Select(match => new LoggedDiagnostic(
                match.Groups["severity"].Value,
                match.Groups["code"].Value,
                match.Groups["file"].Value.Trim(),
                match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                match.Groups["text"].Value))
            .Distinct()
            .ToList();
    }

    // MSBuild's own rendering of an event's File, LineNumber and Code: "file(12): error BRDL0101: text [project]", or "file : error …" without a line.
    [GeneratedRegex(@"^(?<file>.+?)(\((?<line>\d+)(,\d+)?\))? ?: (?<severity>warning|error) (?<code>BRDL\d{4}): (?<text>.*?)( \[[^\]]+\])?$")]
    private static partial Regex Located();
}

/// <summary>A warning or error as a binary log holds it: its code, and the file and line MSBuild points at.</summary>
internal sealed record LoggedDiagnostic(string Severity, string Code, string File, int Line, string Text);
