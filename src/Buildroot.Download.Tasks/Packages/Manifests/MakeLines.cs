using System.Runtime.CompilerServices;
using System.Text;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// One logical line of a makefile: continuation lines joined, numbered by its first physical
/// line. A line that continues on no other is a range of the file's text, not a copy of it.
/// </summary>
internal readonly struct MakeLine
{
    private readonly ReadOnlyMemory<char> _text;
    private readonly int _start;
    private readonly int _length;

    public MakeLine(int number, ReadOnlyMemory<char> text, int start, int length, bool startsWithTab, bool joined)
    {
        Number = number;
        _text = text;
        _start = start;
        _length = length;
        StartsWithTab = startsWithTab;
        IsJoined = joined;
    }

    /// <summary>The 1-based number of the first physical line.</summary>
    public int Number { get; }

    /// <summary>True when the line starts with a tab: a recipe line, after a rule.</summary>
    public bool StartsWithTab { get; }

    /// <summary>True when continuation lines were joined: the text is no longer a range of the file's.</summary>
    public bool IsJoined { get; }

    /// <summary>The joined text, comments not yet removed.</summary>
    public ReadOnlySpan<char> Span => _text.Span.Slice(_start, _length);

    /// <summary>The text this line is a range of, and where (for a line that was not joined).</summary>
    public ReadOnlyMemory<char> Source => _text;

    public int Start => _start;

    public int End => _start + _length;
}

/// <summary>Splits makefile text into logical lines and strips comments, as GNU make reads them.</summary>
/// <remarks>
/// The text is a range of memory, not necessarily a string: <c>$(eval …)</c> reads text just
/// expanded into a buffer (a few kilobytes for each package declared) without making a string of it.
/// </remarks>
internal struct MakeLineReader
{
    private readonly ReadOnlyMemory<char> _text;
    private int _position;
    private int _number;

    public MakeLineReader(ReadOnlyMemory<char> text)
    {
        _text = text.Span.Contains('\r') ? text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).AsMemory() : text;
        _position = 0;
        _number = 0;
    }

    /// <summary>
    /// The next logical line: a line ending with an odd number of backslashes continues on the
    /// next one, and the backslash-newline with the blanks around it becomes one space. Text
    /// ending with a newline ends with an empty line, as splitting it at newlines gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Next(out MakeLine line)
    {
        if (_position > _text.Length)
        {
            line = default;
            return false;
        }

        int start = _position;
        int end = EndOfPhysicalLine(start);
        int number = ++_number;
        ReadOnlySpan<char> text = _text.Span;
        bool startsWithTab = start < text.Length && text[start] == '\t';
        if (!EndsWithContinuation(start, end))
        {
            line = new MakeLine(number, _text, start, end - start, startsWithTab, joined: false);
            return true;
        }

        var joined = new StringBuilder();
        while (EndsWithContinuation(start, end) && _position <= _text.Length)
        {
            joined.Append(text.Slice(start, end - start - 1).TrimEnd(" \t")).Append(' ');
            start = _position;
            end = EndOfPhysicalLine(start);
            _number++;
            while (start < end && text[start] is ' ' or '\t')
            {
                start++;
            }
        }

        joined.Append(text.Slice(start, EndsWithContinuation(start, end) ? end - start - 1 : end - start));
        string joinedText = joined.ToString();
        line = new MakeLine(number, joinedText.AsMemory(), 0, joinedText.Length, startsWithTab, joined: true);
        return true;
    }

    /// <summary>The end of the physical line starting at <paramref name="start"/>; moves past its newline (or past the text).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int EndOfPhysicalLine(int start)
    {
        int newline = _text.Span[start..].IndexOf('\n');
        int end = newline < 0 ? _text.Length : start + newline;
        _position = end + 1;
        return end;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private readonly bool EndsWithContinuation(int start, int end)
    {
        int backslashes = 0;
        ReadOnlySpan<char> text = _text.Span;
        for (int i = end - 1; i >= start && text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }
}

/// <summary>Comments, as GNU make removes them from lines that are not recipes or define bodies.</summary>
internal static class MakeComments
{
    /// <summary>The text before the first unescaped <c>#</c>, with <c>\#</c> read as <c>#</c> (a copy only then).</summary>
    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> text)
    {
        int hash = text.IndexOf('#');
        if (hash < 0)
        {
            return text;
        }

        if (hash == 0 || text[hash - 1] != '\\')
        {
            return text[..hash];
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
}
