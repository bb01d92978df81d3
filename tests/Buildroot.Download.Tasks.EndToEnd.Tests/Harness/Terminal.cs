using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>What a terminal shows of a program's output, as text to search.</summary>
internal static partial class Terminal
{
    /// <summary>
    /// <paramref name="output"/> without its escape sequences (colours, cursor moves, erasures,
    /// the progress and hyperlink codes): the words the terminal logger drew, each redraw kept.
    /// </summary>
    public static string Plain(string output) => Escape().Replace(output, " ").Replace("\r", "\n", StringComparison.Ordinal);

    // CSI sequences (ESC [ … letter), OSC sequences (ESC ] … BEL or ESC \), and two-character ones (ESC = , ESC >).
    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>]")]
    private static partial Regex Escape();
}
