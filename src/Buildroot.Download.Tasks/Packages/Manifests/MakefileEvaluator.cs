using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// A package declared by <c>$(eval $(foo-package))</c>: the infrastructure's macro called the
/// declaration hook with the package's name and variable prefixes.
/// </summary>
/// <param name="Name">The package name: <c>foo</c> or <c>host-foo</c>.</param>
/// <param name="Prefix">Its variables' prefix: <c>FOO</c> or <c>HOST_FOO</c>.</param>
/// <param name="TargetPrefix">The target package's prefix (<c>FOO</c>), which a host package inherits from.</param>
/// <param name="Doubts">Set when the declaration sits under a condition this reader cannot decide.</param>
internal sealed record PackageDeclaration(string Name, string Prefix, string TargetPrefix, bool IsHost, string File, int Line, ImmutableArray<MakeDoubt> Doubts);

/// <summary>
/// Reads makefiles the way GNU make does for the parts Buildroot package manifests use, into one
/// variable namespace shared by every file of the build (as Buildroot includes all its manifests
/// into one make): assignments (<c>=</c>, <c>:=</c>, <c>::=</c>, <c>?=</c>, <c>+=</c>), comments,
/// continuations, conditionals it can decide, <c>define</c> blocks, <c>include</c>,
/// <c>$(eval …)</c>, and rules (skipped). What it cannot decide becomes doubts on the variables
/// concerned; lines that could define anything and cannot be read become notices.
/// </summary>
internal sealed partial class MakefileEvaluator : IMakeContext
{
    private readonly Dictionary<string, MakeVariable> _variables = new(StringComparer.Ordinal);
    private readonly List<Conditional> _conditionals = [];
    private readonly List<PackageDeclaration> _declarations = [];
    private readonly List<MakeDoubt> _notices = [];
    private readonly HashSet<string> _filesRead = new(StringComparer.Ordinal);
    private readonly UnknownNames _unknownNames = new();
    private readonly Func<string, bool> _undefinedMeansEmpty;
    private readonly Func<string, string?> _topDirectoryOf;
    private readonly IReadOnlyDictionary<string, Func<IReadOnlyList<string>, string>> _natives;
    private readonly Func<string, string?> _readText;
    private string? _topDirectory;

    /// <summary>The line being read (of the outermost file, for text an eval reads): where declarations and evals happen.</summary>
    private (string File, int Line) _position = (string.Empty, 0);
    private int _includeDepth;
    private ImmutableArray<MakeDoubt>? _conditionDoubts;

    /// <param name="predefined">Variables defined before any file is read (helpers, infrastructures, the user's values).</param>
    /// <param name="undefinedMeansEmpty">Names that are simply empty when undefined; any other undefined reference is a doubt.</param>
    /// <param name="topDirectoryOf">The top folder of the tree a file belongs to (relative includes and wildcards start there).</param>
    /// <param name="natives">Macros computed natively, called with <c>$(call NAME,…)</c>.</param>
    /// <param name="readText">The text of an included file, or null when it cannot be read (default: read it from disk).</param>
    public MakefileEvaluator(
        IEnumerable<MakeVariable> predefined,
        Func<string, bool> undefinedMeansEmpty,
        Func<string, string?> topDirectoryOf,
        IReadOnlyDictionary<string, Func<IReadOnlyList<string>, string>> natives,
        Func<string, string?>? readText = null)
    {
        _readText = readText ?? ManifestFiles.TryRead;
        _undefinedMeansEmpty = undefinedMeansEmpty;
        _topDirectoryOf = topDirectoryOf;
        _natives = natives;
        foreach (MakeVariable variable in predefined)
        {
            _variables[variable.Name] = variable;
        }

        Expander = new MakeExpander(this);
    }

    public MakeExpander Expander { get; }

    public IReadOnlyList<PackageDeclaration> Declarations => _declarations;

    /// <summary>Lines that could not be read and could set anything (a missing include, an eval of unknown text…).</summary>
    public IReadOnlyList<MakeDoubt> Notices => _notices;

    public string? TopDirectory => _topDirectory;

    public MakeVariable? Lookup(string name) => _variables.GetValueOrDefault(name);

    public IEnumerable<string> VariableNames => _variables.Keys;

    public bool UndefinedMeansEmpty(string name) => _undefinedMeansEmpty(name);

    public ImmutableArray<MakeDoubt> DoubtsAbout(string name) => _unknownNames.DoubtsAbout(name);

    /// <summary>True when <paramref name="path"/> (a full path) was read already, directly or through an include.</summary>
    public bool HasRead(string path) => _filesRead.Contains(path);

    /// <summary>Reads a makefile (a full path) into the namespace, as make's <c>include</c> does.</summary>
    public void ReadFile(string path, string text)
    {
        _filesRead.Add(path);
        string? outerTop = _topDirectory;
        MakeVariable? outerPkgdir = Lookup("pkgdir");
        MakeVariable? outerPkgname = Lookup("pkgname");
        int depth = _conditionals.Count;
        _topDirectory = _topDirectoryOf(path) ?? outerTop;

        // Buildroot's pkgdir and pkgname name the makefile being read (it derives them from MAKEFILE_LIST).
        string folder = Path.GetDirectoryName(path)!;
        _variables["pkgdir"] = MakeVariable.Simple("pkgdir", folder, path, 0, ImmutableArray<MakeDoubt>.Empty);
        _variables["pkgname"] = MakeVariable.Simple("pkgname", Path.GetFileName(folder), path, 0, ImmutableArray<MakeDoubt>.Empty);
        try
        {
            int lastLine = Run(text.AsMemory(), path, fixedLine: null);
            if (_conditionals.Count > depth)
            {
                Notice(path, lastLine, $"'{_conditionals[^1].Directive}' (line {_conditionals[^1].Line}) has no endif");
                RemoveConditionals(depth);
            }
        }
        finally
        {
            _topDirectory = outerTop;
            Restore("pkgdir", outerPkgdir);
            Restore("pkgname", outerPkgname);
        }
    }

    /// <summary><c>$(eval …)</c>: every line of <paramref name="text"/> counts as written on the line being read.</summary>
    public void Eval(ReadOnlyMemory<char> text)
    {
        (string file, int line) = _position;
        int depth = _conditionals.Count;
        Run(text, file, line);
        _position = (file, line);
        if (_conditionals.Count > depth)
        {
            Notice(file, line, $"the text evaluated here leaves '{_conditionals[^1].Directive}' without endif");
            RemoveConditionals(depth);
        }
    }

    public string? CallNative(string name, IReadOnlyList<string> arguments)
    {
        if (name == PackageInfrastructures.DeclareHook)
        {
            Declare(arguments, _position.File, _position.Line);
            return string.Empty;
        }

        return _natives.TryGetValue(name, out Func<IReadOnlyList<string>, string>? native) ? native(arguments) : null;
    }

    /// <summary>Reads the lines of <paramref name="text"/>; returns the number of the last one.</summary>
    /// <param name="fixedLine">For an eval: the line every line of the text counts as written on.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Run(ReadOnlyMemory<char> text, string file, int? fixedLine)
    {
        DefineBlock? define = null;
        bool inRule = false;
        int lastLine = 0;
        var lines = new MakeLineReader(text);
        while (lines.Next(out MakeLine physical))
        {
            lastLine = physical.Number;
            int number = fixedLine ?? physical.Number;
            _position = (file, number);
            if (define is not null)
            {
                if (define.Consume(physical))
                {
                    EndDefine(define, file);
                    define = null;
                }

                continue;
            }

            if (physical.StartsWithTab && inRule)
            {
                continue; // a recipe: commands, not variables
            }

            // Trailing blanks stay: make keeps them in values ("FOO = a # note" is "a ").
            ReadOnlySpan<char> statement = MakeComments.Strip(physical.Span).TrimStart();
            if (statement.IsWhiteSpace())
            {
                continue;
            }

            inRule = false;
            ReadOnlySpan<char> word = MakeSyntax.FirstWord(statement.TrimEnd(), out ReadOnlySpan<char> rest);
            if (ConditionalWord(word) is { } conditional)
            {
                OpenConditional(conditional, rest.ToString(), file, number);
                continue;
            }

            switch (word)
            {
                case "else":
                    Else(rest.ToString(), file, number);
                    continue;
                case "endif":
                    EndIf(file, number);
                    continue;
                case "define":
                    define = new DefineBlock(rest.ToString(), number, skipped: State == Branch.Inactive);
                    continue;
                case "override" or "export" when rest.StartsWith("define", StringComparison.Ordinal):
                    MakeSyntax.FirstWord(rest, out ReadOnlySpan<char> header);
                    define = new DefineBlock(header.ToString(), number, skipped: State == Branch.Inactive);
                    continue;
            }

            if (State != Branch.Inactive)
            {
                inRule = Statement(statement, file, number);
            }
        }

        if (define is not null)
        {
            Notice(file, define.Line, $"'define {define.Header}' has no endef");
        }

        return lastLine;
    }

    /// <summary>Handles a line outside conditionals and defines; true when it is a rule (recipe lines follow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Statement(ReadOnlySpan<char> statement, string file, int line)
    {
        ReadOnlySpan<char> word = MakeSyntax.FirstWord(statement, out ReadOnlySpan<char> rest);
        while (word is "override" or "export" or "private" && MakeSyntax.Assignment(rest) is not null)
        {
            statement = rest;
            word = MakeSyntax.FirstWord(statement, out rest);
        }

        rest = rest.TrimEnd();

        switch (word)
        {
            case "export" or "unexport" or "vpath":
                return false; // "export FOO" changes the environment of recipes, not values
            case "undefine":
                Undefine(rest.Trim().ToString(), file, line);
                return false;
            case "include" or "-include" or "sinclude":
                Include(rest.ToString(), optional: word is not "include", file, line);
                return false;
        }

        if (MakeSyntax.Assignment(statement) is var (operatorStart, operatorEnd))
        {
            string name = statement[..operatorStart].Trim().ToString();
            string value = statement[operatorEnd..].TrimStart(" \t").ToString();
            Assign(name, MakeSyntax.Operator(statement[operatorStart..operatorEnd]), value, file, line);
            return false;
        }

        if (statement.StartsWith("$", StringComparison.Ordinal) && !MakeSyntax.HasColonOutsideReferences(statement))
        {
            // $(eval …), $(call hook,…), $(info …): expanded for their effects; the text they leave is nothing to keep.
            string expression = statement.TrimEnd().ToString();
            Expansion effect = Expander.Expand(expression, file, line);
            if (expression.Contains("eval", StringComparison.Ordinal) && !effect.IsCertain)
            {
                Notice(file, line, $"'{expression}' cannot be evaluated ({string.Join("; ", effect.Doubts.Select(d => d.Text).Distinct())}): what it defines is unknown here");
            }

            return false;
        }

        if (MakeSyntax.HasColonOutsideReferences(statement))
        {
            return true;
        }

        Notice(file, line, $"'{statement.TrimEnd()}' is not understood");
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Assign(string nameText, string op, string value, string file, int line)
    {
        Expansion name = Expander.Expand(nameText, file, line);
        string variableName = name.Text.Trim();
        if (!name.IsCertain || variableName.Length == 0 || HasWhiteSpace(variableName))
        {
            UnknownName(nameText, name.Doubts, file, line);
            return;
        }

        MakeVariable? existing = Lookup(variableName);
        MakeVariable updated;
        switch (op)
        {
            case "=":
                updated = MakeVariable.Recursive(variableName, value, file, line);
                break;
            case ":=" or "::=" or ":::=":
                Expansion expanded = Expander.Expand(value, file, line);
                updated = MakeVariable.Simple(variableName, expanded.Text, file, line, expanded.Doubts);
                break;
            case "?=" when existing is not null:
                return; // defined already, under whatever condition: "?=" changes nothing
            case "?=":
                updated = MakeVariable.Recursive(variableName, value, file, line);
                break;
            case "+=" when existing is null:
                updated = MakeVariable.Recursive(variableName, value, file, line);
                break;
            case "+=" when existing.Flavor == MakeFlavor.Simple:
                Expansion appended = Expander.Expand(value, file, line);
                updated = existing.Append(appended.Text, file, line, appended.Doubts);
                break;
            case "+=":
                updated = existing.Append(value, file, line, ImmutableArray<MakeDoubt>.Empty);
                break;
            default: // "!="
                updated = MakeVariable.Simple(variableName, string.Empty, file, line, [new MakeDoubt(file, line, $"{variableName} is set by a shell command ({op})")]);
                break;
        }

        _variables[variableName] = updated.WithDoubts(ConditionDoubts());
    }

    /// <summary>
    /// <c>FOO_TOOLS_$(BR2_X) += …</c>: the variable cannot be named, but it starts with
    /// <c>FOO_TOOLS_</c>, so only variables with that start may have changed: they become doubtful.
    /// </summary>
    private void UnknownName(string nameText, ImmutableArray<MakeDoubt> why, string file, int line)
    {
        int dollar = nameText.IndexOf('$', StringComparison.Ordinal);
        string start = (dollar < 0 ? nameText : nameText[..dollar]).Trim();
        if (start.Length == 0)
        {
            Notice(file, line, $"cannot tell which variable '{nameText}' names");
            return;
        }

        ImmutableArray<MakeDoubt> doubts = why.IsEmpty
            ? [new MakeDoubt(file, line, $"cannot tell which variable '{nameText}' names")]
            : why.AddRange(ConditionDoubts());
        _unknownNames.Add(start, doubts);
    }

    private void Declare(IReadOnlyList<string> arguments, string file, int line)
    {
        string Argument(int index) => index < arguments.Count ? arguments[index].Trim() : string.Empty;
        _declarations.Add(new PackageDeclaration(
            Argument(0),
            Argument(1),
            Argument(2),
            Argument(3) == "host",
            file,
            line,
            ConditionDoubts()));
    }

    private void Restore(string name, MakeVariable? previous)
    {
        if (previous is null)
        {
            _variables.Remove(name);
        }
        else
        {
            _variables[name] = previous;
        }
    }

    /// <summary>The word as a constant when it opens a conditional, so that reading it copies nothing; else null.</summary>
    private static string? ConditionalWord(ReadOnlySpan<char> word) => word switch
    {
        "ifeq" => "ifeq",
        "ifneq" => "ifneq",
        "ifdef" => "ifdef",
        "ifndef" => "ifndef",
        _ => null,
    };

    private static bool HasWhiteSpace(string name)
    {
        foreach (char c in name)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private void Notice(string file, int line, string text) => _notices.Add(new MakeDoubt(file, line, text));
}
