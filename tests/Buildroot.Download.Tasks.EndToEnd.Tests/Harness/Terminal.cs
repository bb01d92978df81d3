using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>What a terminal shows of a program's output, as text to search.</summary>
internal static partial class Terminal
{
    /// <summary>
    /// <paramref name="output"/> without its escape sequences: the words the terminal logger drew,
    /// each redraw kept. Colours, bold and hyperlinks (which wrap words, as in
    /// <c>path/&lt;bold&gt;foo.hash&lt;/bold&gt;(2)</c>) are dropped; cursor moves and erasures,
    /// which separate what was drawn, become a space; a carriage return starts a new line.
    /// </summary>
    public static string Plain(string output) =>
        Movement().Replace(Styling().Replace(output, string.Empty), " ").Replace("\r", "\n", StringComparison.Ordinal);

    // SGR (ESC [ … m) and OSC sequences (ESC ] … BEL or ESC \): colours, bold, hyperlinks, progress.
    [GeneratedRegex(@"\x1b\[[0-9;]*m|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")]
    private static partial Regex Styling();

    // Every other CSI sequence (cursor moves, erasures, modes) and the two-character ones (ESC = , ESC >).
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")]
    private static partial Regex Movement();
}
