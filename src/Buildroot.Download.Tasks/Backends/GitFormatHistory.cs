namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Whether a <c>git log --pretty=format:</c> string reads more than the commit itself: its
/// parents (<c>%p</c>, <c>%P</c>), the refs pointing at it (<c>%d</c>, <c>%D</c>, <c>%S</c>),
/// the tags behind it (<c>%(describe)</c>), notes or reflogs. Those expand differently in a
/// shallow cache (no parents, no other refs) than in Buildroot's full clone, so such a format
/// needs the full history first. Only placeholders known to read the commit alone (its ids,
/// author, committer, dates, message, signature) are trusted: anything else needs history.
/// </summary>
internal static class GitFormatHistory
{
    // %H %h %T %t (ids; abbreviations are full with core.abbrev=40), %e %s %f %b %B (message), %m (mark), %n.
    private const string CommitOnly = "HhTtesfbBmn";

    // %a? and %c?: name, mailmap name, email, mailmap email, local part, dates in every form.
    private const string PersonFields = "nNeElLdDrtiIsh";

    // %G?: the signature, checked against the same keys whatever the clone.
    private const string SignatureFields = "GSKFPT?";

    public static bool NeedsHistory(string format)
    {
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                continue;
            }

            if (i + 1 == format.Length)
            {
                return false; // a lone % at the end is printed as it is
            }

            char placeholder = format[++i];
            switch (placeholder)
            {
                case '%':
                    break;
                case 'x':
                    i += 2; // %x00: a byte in hex
                    break;
                case 'a' or 'c':
                    if (i + 1 == format.Length || !PersonFields.Contains(format[++i], StringComparison.Ordinal))
                    {
                        return true;
                    }

                    break;
                case 'G':
                    if (i + 1 == format.Length || !SignatureFields.Contains(format[++i], StringComparison.Ordinal))
                    {
                        return true;
                    }

                    break;
                case 'C' or 'w' or '<' or '>':
                    i = SkipParenthesis(format, i); // colours, wrapping, padding: layout only
                    break;
                case '(':
                    if (!format.AsSpan(i).StartsWith("(trailers", StringComparison.Ordinal))
                    {
                        return true; // %(describe…) and anything newer
                    }

                    i = SkipParenthesis(format, i);
                    break;
                default:
                    if (!CommitOnly.Contains(placeholder, StringComparison.Ordinal))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>The index of the <c>)</c> closing the first parenthesis from <paramref name="start"/> on (its word, for <c>%Cred</c>), or of the last character checked.</summary>
    private static int SkipParenthesis(string format, int start)
    {
        int open = format.IndexOf('(', start);
        int close = open < 0 ? -1 : format.IndexOf(')', open);
        return close < 0 ? start : close;
    }
}
