using System.Collections.Immutable;
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
    private static readonly HashSet<string> ConditionalWords = new(StringComparer.Ordinal) { "ifeq", "ifneq", "ifdef", "ifndef" };

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
        _readText = readText ?? TryReadText;
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
            Run(text, path, fixedLine: null);
            if (_conditionals.Count > depth)
            {
                Notice(path, MakeLines.Read(text).LastOrDefault().Number, $"'{_conditionals[^1].Directive}' (line {_conditionals[^1].Line}) has no endif");
                _conditionals.RemoveRange(depth, _conditionals.Count - depth);
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
    public void Eval(string text)
    {
        (string file, int line) = _position;
        int depth = _conditionals.Count;
        Run(text, file, line);
        _position = (file, line);
        if (_conditionals.Count > depth)
        {
            Notice(file, line, $"the text evaluated here leaves '{_conditionals[^1].Directive}' without endif");
            _conditionals.RemoveRange(depth, _conditionals.Count - depth);
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

    private void Run(string text, string file, int? fixedLine)
    {
        DefineBlock? define = null;
        bool inRule = false;
        foreach (MakeLine physical in MakeLines.Read(text))
        {
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
            string statement = MakeLines.StripComment(physical.Text).TrimStart();
            if (statement.Length == 0 || string.IsNullOrWhiteSpace(statement))
            {
                continue;
            }

            inRule = false;
            ReadOnlySpan<char> trimmed = statement.AsSpan().TrimEnd();
            int blank = trimmed.IndexOfAny(' ', '\t');
            ReadOnlySpan<char> first = blank < 0 ? trimmed : trimmed[..blank];
            if (first is "ifeq" or "ifneq" or "ifdef" or "ifndef" or "else" or "endif" or "define" or "override" or "export")
            {
                (string word, string rest) = MakeSyntax.SplitFirstWord(trimmed.ToString());
                if (ConditionalWords.Contains(word))
                {
                    OpenConditional(word, rest, file, number);
                    continue;
                }

                if (word == "else")
                {
                    Else(rest, file, number);
                    continue;
                }

                if (word == "endif")
                {
                    EndIf(file, number);
                    continue;
                }

                if (word == "define" || rest.StartsWith("define", StringComparison.Ordinal))
                {
                    string header = word == "define" ? rest : MakeSyntax.SplitFirstWord(rest).Remainder;
                    define = new DefineBlock(header, number, Skipped: State == Branch.Inactive);
                    continue;
                }
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
    }

    /// <summary>Handles a line outside conditionals and defines; true when it is a rule (recipe lines follow).</summary>
    private bool Statement(string statement, string file, int line)
    {
        (string word, string rest) = MakeSyntax.SplitFirstWord(statement);
        while (word is "override" or "export" or "private" && MakeSyntax.Assignment(rest) is not null)
        {
            statement = rest;
            (word, rest) = MakeSyntax.SplitFirstWord(statement);
        }

        rest = rest.TrimEnd();

        switch (word)
        {
            case "export" or "unexport" or "vpath":
                return false; // "export FOO" changes the environment of recipes, not values
            case "undefine":
                Undefine(rest.Trim(), file, line);
                return false;
            case "include" or "-include" or "sinclude":
                Include(rest, optional: word != "include", file, line);
                return false;
        }

        if (MakeSyntax.Assignment(statement) is var (name, op, value))
        {
            Assign(name, op, value, file, line);
            return false;
        }

        if (statement.StartsWith('$') && !MakeSyntax.HasColonOutsideReferences(statement))
        {
            // $(eval …), $(call hook,…), $(info …): expanded for their effects; the text they leave is nothing to keep.
            Expansion effect = Expander.Expand(statement.TrimEnd(), file, line);
            if (statement.Contains("eval", StringComparison.Ordinal) && !effect.IsCertain)
            {
                Notice(file, line, $"'{statement.TrimEnd()}' cannot be evaluated ({string.Join("; ", effect.Doubts.Select(d => d.Text).Distinct())}): what it defines is unknown here");
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

    private void Include(string argument, bool optional, string file, int line)
    {
        Expansion names = Expander.Expand(argument, file, line);
        if (!names.IsCertain)
        {
            if (!optional)
            {
                Notice(file, line, $"'include {argument}' is not followed ({string.Join("; ", names.Doubts.Select(d => d.Text).Distinct())}): what the included files set is unknown here");
            }

            return;
        }

        foreach (string name in MakeTextFunctions.Words(names.Text))
        {
            string path = Path.GetFullPath(name, _topDirectory ?? Path.GetDirectoryName(file)!);
            string? text = _readText(path);
            if (text is null)
            {
                if (!optional)
                {
                    Notice(file, line, $"'include {name}': {path} cannot be read; what it sets is unknown here");
                }

                continue;
            }

            if (++_includeDepth > 50)
            {
                Notice(file, line, $"'include {name}' nests too deeply (a file including itself?)");
            }
            else
            {
                ReadFile(path, text);
            }

            _includeDepth--;
        }
    }

    /// <summary>A file's text, or null when it does not exist or cannot be read.</summary>
    public static string? TryReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Assign(string nameText, string op, string value, string file, int line)
    {
        Expansion name = Expander.Expand(nameText, file, line);
        string variableName = name.Text.Trim();
        if (!name.IsCertain || variableName.Length == 0 || variableName.Any(char.IsWhiteSpace))
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

    private void Undefine(string name, string file, int line)
    {
        ImmutableArray<MakeDoubt> doubts = ConditionDoubts();
        if (doubts.IsEmpty)
        {
            _variables.Remove(name);
        }
        else if (Lookup(name) is { } existing)
        {
            _variables[name] = existing.WithDoubts(doubts);
        }
    }

    private void EndDefine(DefineBlock define, string file)
    {
        if (define.Skipped)
        {
            return;
        }

        (string name, string op) = MakeSyntax.SplitFirstWord(define.Header.Trim());
        string body = string.Join('\n', define.Body);
        MakeVariable variable = op.Trim() is ":=" or "::="
            ? Simple(name, Expander.Expand(body, file, define.Line), file, define.Line)
            : MakeVariable.Recursive(name, body, file, define.Line);
        _variables[name] = variable.WithDoubts(ConditionDoubts());
    }

    private static MakeVariable Simple(string name, Expansion value, string file, int line) =>
        MakeVariable.Simple(name, value.Text, file, line, value.Doubts);

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

    private void Notice(string file, int line, string text) => _notices.Add(new MakeDoubt(file, line, text));

    /// <summary>A <c>define NAME</c> … <c>endef</c> block being read (nested defines count).</summary>
    private sealed record DefineBlock(string Header, int Line, bool Skipped)
    {
        private int _depth = 1;

        public List<string> Body { get; } = [];

        /// <summary>Takes one line of the body; true when it was the closing endef.</summary>
        public bool Consume(MakeLine line)
        {
            string first = MakeSyntax.SplitFirstWord(line.Text.Trim()).Word;
            if (first == "define")
            {
                _depth++;
            }
            else if (first == "endef" && --_depth == 0)
            {
                return true;
            }

            Body.Add(line.Text);
            return false;
        }
    }
}
