using System.Collections.Immutable;
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
internal sealed class MakeExpander
{
    private const int MaxDepth = 100;

    /// <summary>Functions whose result depends on the machine, the build or side effects.</summary>
    private static readonly HashSet<string> NotEvaluated = new(StringComparer.Ordinal)
    {
        "shell", "error", "warning", "info", "origin", "flavor", "abspath",
        "realpath", "file", "value", "guile", "let", "intcmp",
    };

    private readonly IMakeContext _context;
    private readonly List<Dictionary<string, string>> _locals = [];
    private readonly HashSet<string> _expanding = new(StringComparer.Ordinal);
    private readonly List<MakeDoubt> _doubts = [];
    private string _file = string.Empty;
    private int _callDepth;
    private int _depth;

    public MakeExpander(IMakeContext context)
    {
        _context = context;
    }

    /// <summary>Expands <paramref name="text"/>, written at <paramref name="line"/> of <paramref name="file"/>.</summary>
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
            string result = ExpandText(text, line);
            ImmutableArray<MakeDoubt> doubts = _doubts.Count == mark
                ? ImmutableArray<MakeDoubt>.Empty
                : _doubts.Skip(mark).Distinct().ToImmutableArray();
            return new Expansion(result, doubts);
        }
        finally
        {
            _doubts.RemoveRange(mark, _doubts.Count - mark);
            _file = outerFile;
        }
    }

    /// <summary>The value of a variable as a reference to it would give, doubts naming where it was set.</summary>
    public Expansion ValueOf(string name)
    {
        MakeVariable? variable = _context.Lookup(name);
        return variable is null
            ? Expand($"$({name})", string.Empty, 0)
            : Expand($"$({name})", variable.Origin.File, variable.Origin.Line);
    }

    private string ExpandText(string text, int line)
    {
        int dollar = text.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0)
        {
            return text;
        }

        if (++_depth > MaxDepth)
        {
            _depth--;
            Doubt(line, "references nest too deeply (a loop between variables?)");
            return string.Empty;
        }

        try
        {
            // Text that is one reference ("$(generic-package)"), as macros calling macros are: no copy of what it gives.
            if (dollar == 0 && text.Length > 3 && text[1] is '(' or '{'
                && MakeSyntax.FindClose(text, 2, text[1], text[1] == '(' ? ')' : '}') == text.Length - 1)
            {
                return Reference(text[2..^1], line);
            }

            var result = new StringBuilder(text.Length);
            result.Append(text, 0, dollar);
            int i = dollar;
            while (i < text.Length)
            {
                char c = text[i];
                if (c != '$')
                {
                    int nextDollar = text.IndexOf('$', i);
                    int end = nextDollar < 0 ? text.Length : nextDollar;
                    result.Append(text, i, end - i);
                    i = end;
                    continue;
                }

                if (i + 1 >= text.Length)
                {
                    i++;
                    continue;
                }

                char next = text[i + 1];
                if (next == '$')
                {
                    result.Append('$');
                    i += 2;
                }
                else if (next is '(' or '{')
                {
                    char close = next == '(' ? ')' : '}';
                    int end = MakeSyntax.FindClose(text, i + 2, next, close);
                    if (end < 0)
                    {
                        Doubt(line, $"unterminated reference '{text[i..]}'");
                        break;
                    }

                    result.Append(Reference(text[(i + 2)..end], line));
                    i = end + 1;
                }
                else
                {
                    result.Append(Variable(next.ToString(), line));
                    i += 2;
                }
            }

            return result.ToString();
        }
        finally
        {
            _depth--;
        }
    }

    private string Reference(string inner, int line)
    {
        int blank = inner.IndexOfAny([' ', '\t']);
        if (blank > 0)
        {
            string function = inner[..blank];
            string argumentText = inner[blank..].TrimStart(' ', '\t');
            if (MakeTextFunctions.Arity.TryGetValue(function, out int arity))
            {
                return TextFunction(function, MakeSyntax.SplitArguments(argumentText, arity).Select(arg => ExpandText(arg, line)).ToList(), line);
            }

            switch (function)
            {
                case "if":
                    return If(MakeSyntax.SplitArguments(argumentText, 3), line);
                case "or":
                    return Or(MakeSyntax.SplitArguments(argumentText, int.MaxValue), line);
                case "and":
                    return And(MakeSyntax.SplitArguments(argumentText, int.MaxValue), line);
                case "foreach":
                    return Foreach(MakeSyntax.SplitArguments(argumentText, 3), line);
                case "call":
                    return Call(MakeSyntax.SplitArguments(argumentText, int.MaxValue).Select(arg => ExpandText(arg, line)).ToList(), line);
                case "eval":
                    _context.Eval(ExpandText(argumentText, line));
                    return string.Empty;
                case "wildcard":
                    return Wildcard(ExpandText(argumentText, line), line);
                case var _ when NotEvaluated.Contains(function):
                    Doubt(line, $"$({function} …) is not evaluated by this reader");
                    return string.Empty;
            }
        }

        if (MakeSyntax.SubstitutionReference(inner) is var (name, pattern, replacement))
        {
            string value = Variable(ExpandText(name, line), line);
            string from = ExpandText(pattern, line);
            string to = ExpandText(replacement, line);
            return from.Contains('%', StringComparison.Ordinal)
                ? MakeTextFunctions.PatternSubstitute(from, to, value)
                : MakeTextFunctions.PatternSubstitute("%" + from, "%" + to, value);
        }

        return Variable(ExpandText(inner, line), line);
    }

    private string Variable(string name, int line)
    {
        for (int i = _locals.Count - 1; i >= 0; i--)
        {
            if (_locals[i].TryGetValue(name, out string? local))
            {
                return local;
            }
        }

        // $(4) in a call given three arguments is empty, as in make.
        if (_callDepth > 0 && IsArgumentNumber(name))
        {
            return string.Empty;
        }

        MakeVariable? variable = _context.Lookup(name);
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

            return string.Empty;
        }

        if (!variable.Doubts.IsEmpty)
        {
            _doubts.AddRange(variable.Doubts);
        }

        return variable.Flavor == MakeFlavor.Simple ? variable.Value : ExpandRecursive(variable, line);
    }

    private string ExpandRecursive(MakeVariable variable, int line)
    {
        if (!_expanding.Add(variable.Name))
        {
            Doubt(line, $"{variable.Name} refers to itself");
            return string.Empty;
        }

        string outerFile = _file;
        try
        {
            if (variable.Parts.Length == 1)
            {
                MakeText only = variable.Parts[0];
                _file = only.File;
                return ExpandText(only.Text, only.Line);
            }

            var pieces = new List<string>(variable.Parts.Length);
            foreach (MakeText part in variable.Parts)
            {
                if (part.Text.Length > 0)
                {
                    _file = part.File;
                    pieces.Add(ExpandText(part.Text, part.Line));
                }
            }

            return string.Join(' ', pieces);
        }
        finally
        {
            _file = outerFile;
            _expanding.Remove(variable.Name);
        }
    }

    private string TextFunction(string function, List<string> args, int line)
    {
        string? result = MakeTextFunctions.Apply(function, args, out string? problem);
        if (result is null)
        {
            Doubt(line, $"$({function} …): {problem}");
        }

        return result ?? string.Empty;
    }

    private string If(List<string> args, int line)
    {
        bool condition = MakeTextFunctions.Words(ExpandText(args[0], line)).Length > 0;
        return condition
            ? ExpandText(args.ElementAtOrDefault(1) ?? string.Empty, line)
            : ExpandText(args.ElementAtOrDefault(2) ?? string.Empty, line);
    }

    private string Or(List<string> args, int line)
    {
        foreach (string arg in args)
        {
            string value = ExpandText(arg, line);
            if (value.Trim().Length > 0)
            {
                return value;
            }
        }

        return string.Empty;
    }

    private string And(List<string> args, int line)
    {
        string value = string.Empty;
        foreach (string arg in args)
        {
            value = ExpandText(arg, line);
            if (value.Trim().Length == 0)
            {
                return string.Empty;
            }
        }

        return value;
    }

    private string Foreach(List<string> args, int line)
    {
        string name = ExpandText(args[0], line).Trim();
        string[] words = MakeTextFunctions.Words(ExpandText(args.ElementAtOrDefault(1) ?? string.Empty, line));
        var results = new List<string>();
        foreach (string word in words)
        {
            _locals.Add(new Dictionary<string, string>(StringComparer.Ordinal) { [name] = word });
            try
            {
                results.Add(ExpandText(args.ElementAtOrDefault(2) ?? string.Empty, line));
            }
            finally
            {
                _locals.RemoveAt(_locals.Count - 1);
            }
        }

        return string.Join(' ', results);
    }

    private string Call(List<string> args, int line)
    {
        string name = args[0].Trim();
        if (MakeTextFunctions.Arity.ContainsKey(name))
        {
            return TextFunction(name, args.Skip(1).ToList(), line);
        }

        MakeVariable? macro = _context.Lookup(name);
        if (macro is null)
        {
            if (_context.CallNative(name, args.Skip(1).ToList()) is { } native)
            {
                return native;
            }

            Doubt(line, $"$(call {name},…): {name} is not defined");
            return string.Empty;
        }

        var frame = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            frame[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = args[i];
        }

        _locals.Add(frame);
        _callDepth++;
        try
        {
            _doubts.AddRange(macro.Doubts);
            return macro.Flavor == MakeFlavor.Simple ? macro.Value : ExpandRecursive(macro, line);
        }
        finally
        {
            _callDepth--;
            _locals.RemoveAt(_locals.Count - 1);
        }
    }

    /// <summary><c>$(wildcard …)</c>: the existing files matching each pattern, relative to the tree's top.</summary>
    private string Wildcard(string patterns, int line)
    {
        if (_context.TopDirectory is not { } top)
        {
            Doubt(line, "$(wildcard …) has no folder to look in");
            return string.Empty;
        }

        return string.Join(' ', MakeTextFunctions.Words(patterns).SelectMany(pattern => FileGlob.Match(top, pattern)));
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

    private void Doubt(int line, string text) => _doubts.Add(new MakeDoubt(_file, line, text));
}
