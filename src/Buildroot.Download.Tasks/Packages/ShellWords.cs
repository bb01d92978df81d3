using System.Collections.Immutable;
using System.Text;

namespace Buildroot.Download.Tasks.Packages;

/// <summary>
/// Splits a value into arguments as a POSIX shell reads a command line, without any expansion:
/// blanks separate words, single quotes keep everything, double quotes keep all but
/// <c>\"</c>, <c>\\</c>, <c>\$</c> and <c>\`</c>, a backslash outside quotes keeps the next
/// character. Buildroot's <c>FOO_DL_OPTS</c> reach the backend tool through such a shell.
/// </summary>
internal static class ShellWords
{
    /// <summary>The words of <paramref name="text"/>; null when a quote is left open.</summary>
    public static ImmutableArray<string>? Split(string text)
    {
        var words = ImmutableArray.CreateBuilder<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    continue;
                case '\'':
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        return null;
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    if (!ReadDoubleQuoted(text, ref i, word))
                    {
                        return null;
                    }

                    break;
                case '\\' when i + 1 < text.Length:
                    i++;
                    if (text[i] != '\n')
                    {
                        word.Append(text[i]);
                    }

                    break;
                default:
                    word.Append(c);
                    break;
            }

            inWord = true;
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words.ToImmutable();
    }

    private static bool ReadDoubleQuoted(string text, ref int i, StringBuilder word)
    {
        for (i++; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                return true;
            }

            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`' or '\n')
            {
                i++;
                if (text[i] != '\n')
                {
                    word.Append(text[i]);
                }

                continue;
            }

            word.Append(c);
        }

        return false;
    }
}
