using System.Runtime.CompilerServices;
using System.Text;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// make's functions, as the expander evaluates them: the text functions, the conditional ones
/// (<c>if</c>, <c>or</c>, <c>and</c>: only the arguments they need are expanded), <c>foreach</c>
/// and <c>call</c> with the local variables they bind, and <c>wildcard</c>.
/// </summary>
internal sealed partial class MakeExpander
{
    private string TextFunction(string function, IReadOnlyList<string> args, int line)
    {
        string? result = MakeTextFunctions.Apply(function, args, out string? problem);
        if (result is null)
        {
            Doubt(line, $"$({function} …): {problem}");
        }

        return result ?? string.Empty;
    }

    private void If(StringBuilder output, string text, List<TextRange> args, int line)
    {
        int mark = output.Length;
        Into(output, text, args[0], line);
        bool condition = !HasNoWordSince(output, mark);
        output.Length = mark;
        int chosen = condition ? 1 : 2;
        if (chosen < args.Count)
        {
            Into(output, text, args[chosen], line);
        }
    }

    private void Or(StringBuilder output, string text, List<TextRange> args, int line)
    {
        foreach (TextRange arg in args)
        {
            int mark = output.Length;
            Into(output, text, arg, line);
            if (!IsBlankSince(output, mark))
            {
                return;
            }

            output.Length = mark;
        }
    }

    /// <summary>Empty at the first empty argument, else the last argument's value.</summary>
    private void And(StringBuilder output, string text, List<TextRange> args, int line)
    {
        for (int i = 0; i < args.Count; i++)
        {
            int mark = output.Length;
            Into(output, text, args[i], line);
            bool blank = IsBlankSince(output, mark);
            if (blank || i < args.Count - 1)
            {
                output.Length = mark;
            }

            if (blank)
            {
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Foreach(StringBuilder output, string text, List<TextRange> args, int line)
    {
        string name = ToText(text, args[0], line).Trim();
        string list = args.Count > 1 ? ToText(text, args[1], line) : string.Empty;
        string[] words = MakeTextFunctions.Words(list);
        for (int i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                output.Append(' ');
            }

            _locals.Add(Local.ForeachVariable(name, words[i]));
            try
            {
                if (args.Count > 2)
                {
                    Into(output, text, args[2], line);
                }
            }
            finally
            {
                _locals.RemoveAt(_locals.Count - 1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Call(StringBuilder output, string[] args, int line)
    {
        string name = args[0].Trim();

        // The arguments after the name, as a view: a copy of them for each call costs more than the call.
        var arguments = new ArraySegment<string>(args, 1, args.Length - 1);
        if (MakeTextFunctions.Find(name) is var (function, _))
        {
            output.Append(TextFunction(function, arguments, line));
            return;
        }

        MakeVariable? macro = _context.Lookup(name);
        if (macro is null)
        {
            if (_context.CallNative(name, arguments) is { } native)
            {
                output.Append(native);
                return;
            }

            Doubt(line, $"$(call {name},…): {name} is not defined");
            return;
        }

        _locals.Add(Local.CallArguments(args));
        _callDepth++;
        try
        {
            _doubts.AddRange(macro.Doubts);
            if (macro.Flavor == MakeFlavor.Simple)
            {
                output.Append(macro.Value);
            }
            else
            {
                RecursiveInto(output, macro, line);
            }
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

    private static bool HasNoWordSince(StringBuilder output, int mark)
    {
        for (int i = mark; i < output.Length; i++)
        {
            if (!MakeTextFunctions.IsBlank(output[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when what was appended since <paramref name="mark"/> is blank as <see cref="string.Trim()"/> sees it.</summary>
    private static bool IsBlankSince(StringBuilder output, int mark)
    {
        for (int i = mark; i < output.Length; i++)
        {
            if (!char.IsWhiteSpace(output[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Local variables: a call's numbered arguments (<c>$(0)</c> is the macro's name), or a foreach's variable.</summary>
    private readonly struct Local
    {
        private readonly string? _name;
        private readonly string? _value;
        private readonly string[]? _arguments;

        private Local(string? name, string? value, string[]? arguments)
        {
            _name = name;
            _value = value;
            _arguments = arguments;
        }

        public static Local ForeachVariable(string name, string value) => new(name, value, null);

        public static Local CallArguments(string[] arguments) => new(null, null, arguments);

        public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            if (_arguments is null)
            {
                value = name == _name ? _value : null;
                return value is not null;
            }

            int index = ArgumentIndex(name);
            value = index >= 0 && index < _arguments.Length ? _arguments[index] : null;
            return value is not null;
        }

        /// <summary>The argument <paramref name="name"/> names (<c>0</c>, <c>1</c>, … as written by make, no leading zeros), or -1.</summary>
        private static int ArgumentIndex(string name)
        {
            if (name.Length is 0 or > 9 || (name.Length > 1 && name[0] == '0'))
            {
                return -1;
            }

            int index = 0;
            foreach (char c in name)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return -1;
                }

                index = (index * 10) + (c - '0');
            }

            return index;
        }
    }
}
