using System.Text;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>One logical line of a makefile: continuation lines joined, numbered by its first physical line.</summary>
/// <param name="Number">The 1-based number of the first physical line.</param>
/// <param name="Text">The joined text, comments not yet removed.</param>
/// <param name="StartsWithTab">True when the line starts with a tab: a recipe line, after a rule.</param>
internal readonly record struct MakeLine(int Number, string Text, bool StartsWithTab);

/// <summary>Splits makefile text into logical lines and strips comments, as GNU make reads them.</summary>
internal static class MakeLines
{
    /// <summary>
    /// The logical lines of <paramref name="text"/>: a line ending with an odd number of
    /// backslashes continues on the next one, and the backslash-newline with the blanks around
    /// it becomes one space.
    /// </summary>
    public static IEnumerable<MakeLine> Read(string text)
    {
        string[] physical = (text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text).Split('\n');
        for (int index = 0; index < physical.Length; index++)
        {
            int number = index + 1;
            string line = physical[index];
            bool startsWithTab = line.StartsWith('\t');
            if (!EndsWithContinuation(line))
            {
                yield return new MakeLine(number, line, startsWithTab);
                continue;
            }

            var joined = new StringBuilder();
            while (EndsWithContinuation(line) && index + 1 < physical.Length)
            {
                joined.Append(line.AsSpan(0, line.Length - 1).TrimEnd(" \t")).Append(' ');
                line = physical[++index].TrimStart(" \t".ToCharArray());
            }

            joined.Append(EndsWithContinuation(line) ? line[..^1] : line);
            yield return new MakeLine(number, joined.ToString(), startsWithTab);
        }
    }

    /// <summary>The text before the first unescaped <c>#</c>, with <c>\#</c> read as <c>#</c>.</summary>
    public static string StripComment(string text)
    {
        if (!text.Contains('#', StringComparison.Ordinal))
        {
            return text;
        }

        var kept = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '#')
            {
                kept.Append('#');
                i++;
            }
            else if (text[i] == '#')
            {
                break;
            }
            else
            {
                kept.Append(text[i]);
            }
        }

        return kept.ToString();
    }

    private static bool EndsWithContinuation(string line)
    {
        int backslashes = 0;
        for (int i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }
}
