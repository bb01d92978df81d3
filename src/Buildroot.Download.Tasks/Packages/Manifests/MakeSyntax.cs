namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Where things start and end in makefile text: references, function arguments, assignments.
/// Parentheses and braces nest; commas, colons and equal signs inside a reference do not count.
/// </summary>
internal static class MakeSyntax
{
    public static (string Word, string Remainder) SplitFirstWord(string text)
    {
        int blank = text.IndexOfAny([' ', '\t']);
        return blank < 0 ? (text, string.Empty) : (text[..blank], text[blank..].TrimStart(' ', '\t'));
    }

    /// <summary>
    /// <c>NAME op value</c> when <paramref name="statement"/> is an assignment: the first <c>=</c>
    /// outside references decides, unless a lone <c>:</c> comes first (then it is a rule).
    /// </summary>
    public static (string Name, string Op, string Value)? Assignment(string statement)
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

                return (statement[..nameEnd].Trim(), statement[nameEnd..(i + 1)], statement[(i + 1)..].TrimStart(' ', '\t'));
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

    public static bool HasColonOutsideReferences(string statement)
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

    /// <summary>The index of the <paramref name="close"/> matching an already opened <paramref name="open"/>, or -1.</summary>
    public static int FindClose(string text, int start, char open, char close)
    {
        int depth = 1;
        for (int i = start; i < text.Length; i++)
        {
            if (text[i] == open)
            {
                depth++;
            }
            else if (text[i] == close && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Splits at commas outside nested parentheses; the last of <paramref name="count"/> arguments keeps the rest.</summary>
    public static List<string> SplitArguments(string text, int count)
    {
        var args = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length && args.Count < count - 1; i++)
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
                    args.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        args.Add(text[start..]);
        return args;
    }

    /// <summary><c>$(VAR:from=to)</c>, split into its parts when <paramref name="inner"/> is one.</summary>
    public static (string Name, string Pattern, string Replacement)? SubstitutionReference(string inner)
    {
        int depth = 0;
        int colon = -1;
        for (int i = 0; i < inner.Length; i++)
        {
            switch (inner[i])
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
                    return (inner[..colon], inner[(colon + 1)..i], inner[(i + 1)..]);
            }
        }

        return null;
    }
}
