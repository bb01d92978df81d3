using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Expands <c>$(VAR)</c>, <c>${VAR}</c>, <c>$X</c>, substitution references and the functions
/// package manifests use (<c>$(call github,…)</c>, <c>$(subst …)</c>, <c>$(if …)</c>,
/// <c>$(foreach …)</c>, <c>$(eval …)</c>, <c>$(wildcard …)</c>, …) the way GNU make does. Whatever
/// it cannot know (a variable nothing defines, <c>$(shell …)</c>, a variable set under an
/// undecidable condition) does not stop it: the result carries the reason as a doubt, naming the
/// file and line of the reference, so the caller can refuse the value.
/// </summary>
/// <remarks>
/// A whole Buildroot tree makes hundreds of thousands of references, most of them through the
/// infrastructures' macros, so the expansion writes into one buffer and reads the text by ranges:
/// only a value that must stand alone (a function's argument, a variable's name) becomes a string.
/// The methods on that path (here, in the line reader, the syntax helpers and the evaluator's
/// statement loop) are compiled optimised at once: a tree is read in a fresh build node, where they
/// would otherwise run unoptimised for most of the read while the runtime is busy compiling the rest
/// (0.87× of the task's time in a real build, measured interleaved).
/// </remarks>
internal sealed partial class MakeExpander
{
    private const int MaxDepth = 100;

    private static readonly string[] OneCharacterNames = Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).ToArray();

    /// <summary>Buffers longer than this are not kept for the next expansion.</summary>
    private const int LargestKeptBuffer = 64 * 1024;

    private readonly IMakeContext _context;
    private readonly List<Local> _locals = [];
    private readonly List<string> _expanding = [];
    private readonly List<MakeDoubt> _doubts = [];
    private readonly Stack<StringBuilder> _buffers = new();
    private readonly Stack<List<TextRange>> _argumentLists = new();
    private string _file = string.Empty;
    private int _callDepth;
    private int _depth;

    public MakeExpander(IMakeContext context)
    {
        _context = context;
    }

    /// <summary>Expands <paramref name="text"/>, written at <paramref name="line"/> of <paramref name="file"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Expansion Expand(string text, string file, int line)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new Expansion(text, ImmutableArray<MakeDoubt>.Empty);
        }

        // One list for all doubts: an expansion's own are those it added after the mark.
        int mark = _doubts.Count;
        string outerFile = _file;
        _file = file;
        try
        {
            return new Expansion(ToText(text, new TextRange(0, text.Length), line), DoubtsSince(mark));
        }
        finally
        {
            _doubts.RemoveRange(mark, _doubts.Count - mark);
            _file = outerFile;
        }
    }

    /// <summary>The value of a variable as a reference to it would give, doubts naming where it was set.</summary>
    public Expansion ValueOf(string name) => ValueOf(name, _context.Lookup(name));

    /// <summary>As <see cref="ValueOf(string)"/>, for a variable the caller has looked up already (<paramref name="variable"/> null: undefined).</summary>
    public Expansion ValueOf(string name, MakeVariable? variable)
    {
        int mark = _doubts.Count;
        string outerFile = _file;
        _file = variable?.Origin.File ?? string.Empty;
        try
        {
            StringBuilder value = RentBuffer();
            LookedUpInto(value, name, variable, variable?.Origin.Line ?? 0);
            return new Expansion(ReturnBuffer(value), DoubtsSince(mark));
        }
        finally
        {
            _doubts.RemoveRange(mark, _doubts.Count - mark);
            _file = outerFile;
        }
    }

    private ImmutableArray<MakeDoubt> DoubtsSince(int mark)
    {
        var doubts = default(DistinctDoubts);
        for (int i = mark; i < _doubts.Count; i++)
        {
            doubts.Add(_doubts[i]);
        }

        return doubts.ToImmutable();
    }

    /// <summary>The expansion of a range of <paramref name="text"/> as a string of its own.</summary>
    private string ToText(string text, TextRange range, int line)
    {
        if (text.IndexOf('$', range.Start, range.Length) < 0)
        {
            return range.Start == 0 && range.End == text.Length ? text : text.Substring(range.Start, range.Length);
        }

        StringBuilder result = RentBuffer();
        Into(result, text, range, line);
        return ReturnBuffer(result);
    }

    /// <summary>Appends the expansion of a range of <paramref name="text"/> to <paramref name="output"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Into(StringBuilder output, string text, TextRange range, int line)
    {
        int end = range.End;
        int dollar = text.IndexOf('$', range.Start, range.Length);
        if (dollar < 0)
        {
            output.Append(text, range.Start, range.Length);
            return;
        }

        if (++_depth > MaxDepth)
        {
            _depth--;
            Doubt(line, "references nest too deeply (a loop between variables?)");
            return;
        }

        try
        {
            output.Append(text, range.Start, dollar - range.Start);
            int i = dollar;
            while (i < end)
            {
                if (text[i] != '$')
                {
                    int nextDollar = text.IndexOf('$', i, end - i);
                    int literalEnd = nextDollar < 0 ? end : nextDollar;
                    output.Append(text, i, literalEnd - i);
                    i = literalEnd;
                    continue;
                }

                if (i + 1 >= end)
                {
                    i++;
                    continue;
                }

                char next = text[i + 1];
                if (next == '$')
                {
                    output.Append('$');
                    i += 2;
                }
                else if (next is '(' or '{')
                {
                    int close = MakeSyntax.FindClose(text, i + 2, end, next, next == '(' ? ')' : '}');
                    if (close < 0)
                    {
                        Doubt(line, $"unterminated reference '{text[i..end]}'");
                        break;
                    }

                    Reference(output, text, new TextRange(i + 2, close), line);
                    i = close + 1;
                }
                else
                {
                    VariableInto(output, OneCharacterName(next), line);
                    i += 2;
                }
            }
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>What is inside <c>$(…)</c>: a function call, a substitution reference or a variable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Reference(StringBuilder output, string text, TextRange inner, int line)
    {
        int blank = text.AsSpan(inner.Start, inner.Length).IndexOfAny(' ', '\t');
        if (blank > 0)
        {
            ReadOnlySpan<char> function = text.AsSpan(inner.Start, blank);
            int argumentStart = inner.Start + blank;
            while (argumentStart < inner.End && text[argumentStart] is ' ' or '\t')
            {
                argumentStart++;
            }

            var arguments = new TextRange(argumentStart, inner.End);
            if (MakeTextFunctions.Find(function) is var (name, arity))
            {
                List<TextRange> args = Arguments(text, arguments, arity);
                string[] values = ToTexts(text, args, line);
                Release(args);
                output.Append(TextFunction(name, values, line));
                return;
            }

            switch (function)
            {
                case "if":
                    List<TextRange> ifArgs = Arguments(text, arguments, 3);
                    If(output, text, ifArgs, line);
                    Release(ifArgs);
                    return;
                case "or":
                    List<TextRange> orArgs = Arguments(text, arguments, int.MaxValue);
                    Or(output, text, orArgs, line);
                    Release(orArgs);
                    return;
                case "and":
                    List<TextRange> andArgs = Arguments(text, arguments, int.MaxValue);
                    And(output, text, andArgs, line);
                    Release(andArgs);
                    return;
                case "foreach":
                    List<TextRange> foreachArgs = Arguments(text, arguments, 3);
                    Foreach(output, text, foreachArgs, line);
                    Release(foreachArgs);
                    return;
                case "call":
                    List<TextRange> callArgs = Arguments(text, arguments, int.MaxValue);
                    string[] callValues = ToTexts(text, callArgs, line);
                    Release(callArgs);
                    Call(output, callValues, line);
                    return;
                case "eval":
                    Eval(text, arguments, line);
                    return;
                case "wildcard":
                    output.Append(Wildcard(ToText(text, arguments, line), line));
                    return;
                case "shell" or "error" or "warning" or "info" or "origin" or "flavor" or "abspath"
                    or "realpath" or "file" or "value" or "guile" or "let" or "intcmp":
                    // Their result depends on the machine, the build or side effects.
                    Doubt(line, $"$({function} …) is not evaluated by this reader");
                    return;
            }
        }

        if (MakeSyntax.SubstitutionReference(text, inner) is var (colon, equalSign))
        {
            string value = VariableText(ToText(text, new TextRange(inner.Start, colon), line), line);
            string from = ToText(text, new TextRange(colon + 1, equalSign), line);
            string to = ToText(text, new TextRange(equalSign + 1, inner.End), line);
            output.Append(from.Contains('%', StringComparison.Ordinal)
                ? MakeTextFunctions.PatternSubstitute(from, to, value)
                : MakeTextFunctions.PatternSubstitute("%" + from, "%" + to, value));
            return;
        }

        VariableInto(output, inner.Length == 1 && text[inner.Start] != '$' ? OneCharacterName(text[inner.Start]) : ToText(text, inner, line), line);
    }

    /// <summary>
    /// A name of one character as a string, made once: macros refer to their arguments
    /// (<c>$(1)</c>, <c>$(2)</c>) dozens of times for each package declared.
    /// </summary>
    private static string OneCharacterName(char c) => c < OneCharacterNames.Length ? OneCharacterNames[c] : c.ToString();

    /// <summary>
    /// <c>$(eval …)</c>: the text is expanded into a pooled buffer and read from there; it is
    /// read once and not kept, so it never becomes a string.
    /// </summary>
    private void Eval(string text, TextRange arguments, int line)
    {
        StringBuilder expanded = RentBuffer();
        Into(expanded, text, arguments, line);
        int length = expanded.Length;
        char[] chars = ArrayPool<char>.Shared.Rent(length);
        try
        {
            expanded.CopyTo(0, chars, 0, length);
            ReleaseBuffer(expanded);
            _context.Eval(chars.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private string VariableText(string name, int line)
    {
        StringBuilder value = RentBuffer();
        VariableInto(value, name, line);
        return ReturnBuffer(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void VariableInto(StringBuilder output, string name, int line)
    {
        for (int i = _locals.Count - 1; i >= 0; i--)
        {
            if (_locals[i].TryGet(name, out string? local))
            {
                output.Append(local);
                return;
            }
        }

        // $(4) in a call given three arguments is empty, as in make.
        if (_callDepth > 0 && IsArgumentNumber(name))
        {
            return;
        }

        LookedUpInto(output, name, _context.Lookup(name), line);
    }

    /// <summary>A global variable's value (<paramref name="variable"/> as the namespace holds it, null when undefined).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LookedUpInto(StringBuilder output, string name, MakeVariable? variable, int line)
    {
        if (_context.DoubtsAbout(name) is { IsEmpty: false } unknownName)
        {
            _doubts.AddRange(unknownName);
        }

        if (variable is null)
        {
            if (!_context.UndefinedMeansEmpty(name))
            {
                Doubt(line, $"$({name}) is not defined");
            }

            return;
        }

        if (!variable.Doubts.IsEmpty)
        {
            _doubts.AddRange(variable.Doubts);
        }

        if (variable.Flavor == MakeFlavor.Simple)
        {
            output.Append(variable.Value);
        }
        else
        {
            RecursiveInto(output, variable, line);
        }
    }

    /// <summary>A recursive variable's text, expanded now; each piece as written where it was set (<c>+=</c> joins with a space).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RecursiveInto(StringBuilder output, MakeVariable variable, int line)
    {
        if (_expanding.Contains(variable.Name))
        {
            Doubt(line, $"{variable.Name} refers to itself");
            return;
        }

        _expanding.Add(variable.Name);
        string outerFile = _file;
        try
        {
            bool first = true;
            foreach (MakeText part in variable.Parts)
            {
                if (part.Text.Length == 0 && variable.Parts.Length > 1)
                {
                    continue;
                }

                if (!first)
                {
                    output.Append(' ');
                }

                first = false;
                _file = part.File;
                Into(output, part.Text, new TextRange(0, part.Text.Length), part.Line);
            }
        }
        finally
        {
            _file = outerFile;
            _expanding.RemoveAt(_expanding.Count - 1);
        }
    }

    private string[] ToTexts(string text, List<TextRange> ranges, int line)
    {
        var texts = new string[ranges.Count];
        for (int i = 0; i < ranges.Count; i++)
        {
            texts[i] = ToText(text, ranges[i], line);
        }

        return texts;
    }

    /// <summary>A function's arguments, in a list kept for the next function once <see cref="Release"/>d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private List<TextRange> Arguments(string text, TextRange range, int count)
    {
        List<TextRange> args = _argumentLists.TryPop(out List<TextRange>? list) ? list : new List<TextRange>(4);
        MakeSyntax.SplitArguments(text, range, count, args);
        return args;
    }

    private void Release(List<TextRange> args)
    {
        args.Clear();
        _argumentLists.Push(args);
    }

    private static bool IsArgumentNumber(string name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    private StringBuilder RentBuffer() => _buffers.TryPop(out StringBuilder? buffer) ? buffer : new StringBuilder(256);

    private string ReturnBuffer(StringBuilder buffer)
    {
        string text = buffer.ToString();
        ReleaseBuffer(buffer);
        return text;
    }

    private void ReleaseBuffer(StringBuilder buffer)
    {
        if (buffer.Capacity <= LargestKeptBuffer)
        {
            buffer.Clear();
            _buffers.Push(buffer);
        }
    }

    private void Doubt(int line, string text) => _doubts.Add(new MakeDoubt(_file, line, text));
}
