using System.Text;
using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Applies the <c>export-subst</c> git attribute as Buildroot does (which is not quite what
/// <c>git archive</c> does): in every file with the attribute, submodules included, each
/// <c>$Format:&lt;fmt&gt;$</c> becomes what <c>git log -n1 --pretty=format:&lt;fmt&gt;</c> prints for
/// the superproject's commit, in UTC, with newlines of that output dropped; the file is
/// rewritten line by line, so every line, the last one too, ends with a newline afterwards.
/// Files are treated as bytes: nothing but the placeholders and the final newline changes.
/// </summary>
internal sealed partial class GitExportSubst
{
    private const string Attribute = "export-subst";

    // Latin-1 maps each byte to one char and back, so a file's bytes survive the regex untouched.
    private static readonly Encoding Bytes = Encoding.Latin1;

    private readonly GitRunner _git;
    private readonly Dictionary<string, string> _expansions = new(StringComparer.Ordinal);
    private Func<CancellationToken, Task>? _fetchHistory;

    /// <param name="fetchHistory">
    /// For a shallow cache: fetches the full history, called once before a format that reads
    /// it (<see cref="GitFormatHistory"/>) is expanded, so it expands as in Buildroot's clone.
    /// </param>
    public GitExportSubst(GitRunner git, Func<CancellationToken, Task>? fetchHistory = null)
    {
        _git = git;
        _fetchHistory = fetchHistory;
    }

    /// <summary>Rewrites those of <paramref name="files"/> (relative to the work tree) that have the attribute.</summary>
    public async Task ApplyAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        foreach (string file in await FilesWithAttributeAsync(files, cancellationToken).ConfigureAwait(false))
        {
            await RewriteAsync(Path.Combine(_git.WorkTree, file), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks git rather than reading .gitattributes ourselves: it knows every source of
    /// attributes (folders at any depth, submodules' own files, macros, info/attributes).
    /// The paths go through standard input, so one git answers for a tree of any size.
    /// </summary>
    private async Task<List<string>> FilesWithAttributeAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        ExternalCommand checkAttr = _git.Command("check-attr", "-z", "--stdin", Attribute)
            .WithStandardInput((input, token) => WritePathsAsync(input, files, token));
        string output = (await _git.RunAsync(checkAttr, cancellationToken).ConfigureAwait(false)).StandardOutput;

        // "<path>\0<attribute>\0<value>\0" for each path.
        var result = new List<string>();
        string[] fields = output.Split('\0');
        for (int i = 0; i + 2 < fields.Length; i += 3)
        {
            if (fields[i + 2] == "set")
            {
                result.Add(fields[i]);
            }
        }

        return result;
    }

    private static async Task WritePathsAsync(Stream input, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var writer = new StreamWriter(input, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (string file in files)
            {
                await writer.WriteAsync((file + "\0").AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RewriteAsync(string path, CancellationToken cancellationToken)
    {
        string content = Bytes.GetString(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        foreach (Match placeholder in Placeholder().Matches(content))
        {
            string format = placeholder.Groups["format"].Value;
            if (!_expansions.ContainsKey(format))
            {
                if (_fetchHistory is { } fetchHistory && GitFormatHistory.NeedsHistory(format))
                {
                    _fetchHistory = null;
                    await fetchHistory(cancellationToken).ConfigureAwait(false);
                }

                _expansions[format] = await ExpandAsync(format, cancellationToken).ConfigureAwait(false);
            }
        }

        var rewritten = new StringBuilder(content.Length + 64);
        foreach (string line in Lines(content))
        {
            rewritten.Append(Placeholder().Replace(line, m => _expansions[m.Groups["format"].Value])).Append('\n');
        }

        // Written anew rather than in place: like Buildroot's "awk … > f.br-temp; mv", which
        // leaves the file with a new file's mode (no executable bit) — archives depend on it.
        string temporary = path + ".br-temp";
        await File.WriteAllBytesAsync(temporary, Bytes.GetBytes(rewritten.ToString()), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private async Task<string> ExpandAsync(string format, CancellationToken cancellationToken)
    {
        // Always the superproject's commit, even for a file in a submodule; dates in UTC.
        ExternalCommand log = _git.Command("-c", "core.abbrev=40", "log", "-s", "-n1", "--pretty=format:" + format)
            .WithEnvironment("TZ", "UTC")
            .WithEnvironment("LC_ALL", "C");
        string output = (await _git.RunAsync(log, cancellationToken).ConfigureAwait(false)).StandardOutput;

        // Buildroot reads the output with awk's getline, line by line, and prints the lines
        // back to back: newlines in the expansion vanish.
        return Bytes.GetString(Encoding.UTF8.GetBytes(output.Replace("\n", string.Empty, StringComparison.Ordinal)));
    }

    /// <summary>The lines of <paramref name="content"/> without their newline; a final newline ends the last line, it does not start another.</summary>
    private static IEnumerable<string> Lines(string content)
    {
        if (content.Length == 0)
        {
            yield break;
        }

        string[] lines = content.Split('\n');
        int count = content.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (int i = 0; i < count; i++)
        {
            yield return lines[i];
        }
    }

    [GeneratedRegex(@"\$Format:(?<format>[^$\n]+)\$", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
