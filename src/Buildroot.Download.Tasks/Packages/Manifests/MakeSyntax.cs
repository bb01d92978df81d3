using System.Runtime.CompilerServices;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>Where an argument of a function starts and ends in the text being expanded.</summary>
internal readonly record struct TextRange(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>
/// Where things start and end in makefile text: references, function arguments, assignments.
/// Parentheses and braces nest; commas, colons and equal signs inside a reference do not count.
/// Everything here reads spans or ranges of the text, so that finding a part copies nothing.
/// </summary>
internal static class MakeSyntax
{
    /// <summary>The first word (up to a blank); <paramref name="remainder"/>: the rest, without the blanks that follow the word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReadOnlySpan<char> FirstWord(ReadOnlySpan<char> text, out ReadOnlySpan<char> remainder)
    {
        int blank = text.IndexOfAny(' ', '\t');
        remainder = blank < 0 ? ReadOnlySpan<char>.Empty : text[blank..].TrimStart(" \t");
        return blank < 0 ? text : text[..blank];
    }

    /// <summary>
    /// <c>NAME op value</c> when <paramref name="statement"/> is an assignment: the first <c>=</c>
    /// outside references decides, unless a lone <c>:</c> comes first (then it is a rule).
    /// </summary>
    /// <returns>Where the operator starts and ends; null when the statement is no assignment.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int OperatorStart, int OperatorEnd)? Assignment(ReadOnlySpan<char> statement)
    {
        int depth = 0;
        for (int i = 0; i < statement.Length; i++)
        {
            char c = statement[i];
            if (c is '(' or '{')
            {
                depth++;
            }
            else if (c is ')' or '}')
            {
                depth--;
            }
            else if (depth == 0 && c == '=')
            {
                int nameEnd = i;
                while (nameEnd > 0 && statement[nameEnd - 1] == ':' && i - nameEnd < 3)
                {
                    nameEnd--;
                }

                if (nameEnd == i && i > 0 && statement[i - 1] is '?' or '+' or '!')
                {
                    nameEnd--;
                }

                return (nameEnd, i + 1);
            }
            else if (depth == 0 && c == ':')
            {
                int colons = i;
                while (colons < statement.Length && statement[colons] == ':')
                {
                    colons++;
                }

                if (colons == statement.Length || statement[colons] != '=' || colons - i > 3)
                {
                    return null; // a rule: "target: prerequisites"
                }

                i = colons - 1;
            }
        }

        return null;
    }

    /// <summary>The operator text as a constant (<c>=</c>, <c>:=</c>, <c>+=</c>…), so that reading it copies nothing.</summary>
    public static string Operator(ReadOnlySpan<char> op) => op switch
    {
        "=" => "=",
        ":=" => ":=",
        "::=" => "::=",
        ":::=" => ":::=",
        "?=" => "?=",
        "+=" => "+=",
        "!=" => "!=",
        _ => op.ToString(),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool HasColonOutsideReferences(ReadOnlySpan<char> statement)
    {
        int depth = 0;
        foreach (char c in statement)
        {
            depth += c is '(' or '{' ? 1 : c is ')' or '}' ? -1 : 0;
            if (depth == 0 && c == ':')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The index of the <paramref name="close"/> matching an already opened <paramref name="open"/> before <paramref name="end"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FindClose(string text, int start, int end, char open, char close)
    {
        int depth = 1;
        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Splits <paramref name="range"/> at commas outside nested parentheses into <paramref name="args"/>; the last of <paramref name="count"/> arguments keeps the rest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SplitArguments(string text, TextRange range, int count, List<TextRange> args)
    {
        int depth = 0;
        int start = range.Start;
        for (int i = range.Start; i < range.End && args.Count < count - 1; i++)
        {
            switch (text[i])
            {
                case '(' or '{':
                    depth++;
                    break;
                case ')' or '}':
                    depth--;
                    break;
                case ',' when depth == 0:
                    args.Add(new TextRange(start, i));
                    start = i + 1;
                    break;
            }
        }

        args.Add(new TextRange(start, range.End));
    }

    /// <summary><c>$(VAR:from=to)</c>: where its colon and equal sign are, when <paramref name="inner"/> is one.</summary>
    public static (int Colon, int EqualSign)? SubstitutionReference(string text, TextRange inner)
    {
        int depth = 0;
        int colon = -1;
        for (int i = inner.Start; i < inner.End; i++)
        {
            switch (text[i])
            {
                case '(' or '{':
                    depth++;
                    break;
                case ')' or '}':
                    depth--;
                    break;
                case ':' when depth == 0 && colon < 0:
                    colon = i;
                    break;
                case '=' when depth == 0 && colon >= 0:
                    return (colon, i);
            }
        }

        return null;
    }
}
