using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>A <c>$(eval $(foo-package))</c> line: the manifest declares a package with that infrastructure.</summary>
/// <param name="IsHost">True for <c>host-foo-package</c>.</param>
/// <param name="Infrastructure">The infrastructure without <c>host-</c> and <c>-package</c>: generic, autotools, cargo, golang…</param>
/// <param name="Doubts">Set when the declaration sits under a condition this reader cannot decide.</param>
internal sealed record PackageDeclaration(bool IsHost, string Infrastructure, int Line, ImmutableArray<MakeDoubt> Doubts);

/// <summary>
/// Reads a makefile the way GNU make would for the parts a Buildroot package manifest uses:
/// assignments (<c>=</c>, <c>:=</c>, <c>::=</c>, <c>?=</c>, <c>+=</c>), comments, continuations,
/// conditionals it can decide from the file alone, <c>define</c> blocks (skipped) and the
/// package declarations. What it cannot decide becomes doubts on the variables concerned, and
/// lines that could define anything (<c>include</c>, other <c>$(eval …)</c>) become notices.
/// </summary>
internal sealed partial class MakefileEvaluator
{
    private static readonly HashSet<string> ConditionalWords = new(StringComparer.Ordinal) { "ifeq", "ifneq", "ifdef", "ifndef" };

    /// <summary>Evaluated lines that only add build steps, never download values.</summary>
    private static readonly HashSet<string> HarmlessEvals = new(StringComparer.Ordinal) { "kernel-module" };

    private readonly Dictionary<string, MakeVariable> _variables = new(StringComparer.Ordinal);
    private readonly List<Conditional> _conditionals = [];
    private readonly List<PackageDeclaration> _declarations = [];
    private readonly List<MakeDoubt> _notices = [];
    private readonly Func<string, bool> _undefinedMeansEmpty;
    private readonly string _file;

    /// <param name="file">The makefile's path, named in doubts and notices.</param>
    /// <param name="predefined">Variables defined before the file is read (helpers such as <c>github</c>, and the user's).</param>
    /// <param name="undefinedMeansEmpty">Names that are simply empty when undefined; any other undefined reference is a doubt.</param>
    public MakefileEvaluator(string file, IEnumerable<MakeVariable> predefined, Func<string, bool> undefinedMeansEmpty)
    {
        _file = file;
        _undefinedMeansEmpty = undefinedMeansEmpty;
        foreach (MakeVariable variable in predefined)
        {
            _variables[variable.Name] = variable;
        }

        Expander = new MakeExpander(Lookup, undefinedMeansEmpty, file);
    }

    public MakeExpander Expander { get; }

    public IReadOnlyList<PackageDeclaration> Declarations => _declarations;

    /// <summary>Constructs not understood that could set download values, whatever they turn out to affect.</summary>
    public IReadOnlyList<MakeDoubt> Notices => _notices;

    public MakeVariable? Lookup(string name) => _variables.GetValueOrDefault(name);

    public void Run(string text)
    {
        DefineBlock? define = null;
        bool inRule = false;
        int lastLine = 0;
        foreach (MakeLine line in MakeLines.Read(text))
        {
            lastLine = line.Number;
            if (define is not null)
            {
                if (define.Consume(line))
                {
                    EndDefine(define);
                    define = null;
                }

                continue;
            }

            if (line.StartsWithTab && inRule)
            {
                continue; // a recipe: commands, not variables
            }

            // Trailing blanks stay: make keeps them in values ("FOO = a # note" is "a ").
            string statement = MakeLines.StripComment(line.Text).TrimStart();
            if (statement.Trim().Length == 0)
            {
                continue;
            }

            inRule = false;
            (string word, string rest) = MakeSyntax.SplitFirstWord(statement.TrimEnd());
            if (ConditionalWords.Contains(word))
            {
                OpenConditional(word, rest, line.Number);
            }
            else if (word == "else")
            {
                Else(rest, line.Number);
            }
            else if (word == "endif")
            {
                EndIf(line.Number);
            }
            else if (word == "define")
            {
                define = new DefineBlock(rest, line.Number, Skipped: State == Branch.Inactive);
            }
            else if (State != Branch.Inactive)
            {
                inRule = Statement(statement, line.Number);
            }
        }

        if (define is not null)
        {
            Notice(define.Line, $"'define {define.Header}' has no endef");
        }

        if (_conditionals.Count > 0)
        {
            Notice(lastLine, $"'{_conditionals[^1].Directive}' (line {_conditionals[^1].Line}) has no endif");
        }
    }

    /// <summary>Handles a line outside conditionals and defines; true when it is a rule (recipe lines follow).</summary>
    private bool Statement(string statement, int line)
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
                Undefine(rest.Trim(), line);
                return false;
            case "include" or "-include" or "sinclude":
                Notice(line, $"'{statement.TrimEnd()}' is not followed: what the included file sets is unknown here");
                return false;
        }

        if (MakeSyntax.Assignment(statement) is var (name, op, value))
        {
            Assign(name, op, value, line);
            return false;
        }

        if (statement.StartsWith("$(eval", StringComparison.Ordinal) || statement.StartsWith("${eval", StringComparison.Ordinal))
        {
            Eval(statement.TrimEnd(), line);
            return false;
        }

        if (statement.StartsWith('$'))
        {
            // $(info …), $(error …) and the like: messages, not values.
            return false;
        }

        if (MakeSyntax.HasColonOutsideReferences(statement))
        {
            return true;
        }

        Notice(line, $"'{statement.TrimEnd()}' is not understood");
        return false;
    }

    private void Assign(string nameText, string op, string value, int line)
    {
        Expansion name = Expander.Expand(nameText, line);
        if (!name.IsCertain || name.Text.Trim().Length == 0 || name.Text.Trim().Any(char.IsWhiteSpace))
        {
            Notice(line, $"cannot tell which variable '{nameText}' names");
            return;
        }

        string variableName = name.Text.Trim();
        MakeVariable? existing = Lookup(variableName);
        MakeVariable updated;
        switch (op)
        {
            case "=":
                updated = MakeVariable.Recursive(variableName, value, line);
                break;
            case ":=" or "::=" or ":::=":
                Expansion expanded = Expander.Expand(value, line);
                updated = MakeVariable.Simple(variableName, expanded.Text, line, expanded.Doubts);
                break;
            case "?=":
                updated = existing ?? MakeVariable.Recursive(variableName, value, line);
                break;
            case "+=" when existing is null:
                updated = MakeVariable.Recursive(variableName, value, line);
                break;
            case "+=" when existing.Flavor == MakeFlavor.Simple:
                Expansion appended = Expander.Expand(value, line);
                updated = existing.Append(appended.Text, line, appended.Doubts);
                break;
            case "+=":
                updated = existing.Append(value, line, ImmutableArray<MakeDoubt>.Empty);
                break;
            default: // "!="
                updated = MakeVariable.Simple(variableName, string.Empty, line, [new MakeDoubt(_file, line, $"{variableName} is set by a shell command ({op})")]);
                break;
        }

        _variables[variableName] = updated.WithDoubts(ConditionDoubts(variableName, line));
    }

    private void Undefine(string name, int line)
    {
        ImmutableArray<MakeDoubt> doubts = ConditionDoubts(name, line);
        if (doubts.IsEmpty)
        {
            _variables.Remove(name);
        }
        else if (Lookup(name) is { } existing)
        {
            _variables[name] = existing.WithDoubts(doubts);
        }
    }

    private void Eval(string statement, int line)
    {
        Match declaration = PackageDeclarationLine().Match(statement);
        if (declaration.Success)
        {
            string infrastructure = declaration.Groups["infra"].Value;
            _declarations.Add(new PackageDeclaration(
                declaration.Groups["host"].Success,
                infrastructure,
                line,
                ConditionDoubts($"the declaration {statement}", line)));
            return;
        }

        if (HarmlessEval().Match(statement) is { Success: true } harmless && HarmlessEvals.Contains(harmless.Groups["macro"].Value))
        {
            return;
        }

        Notice(line, $"'{statement}' is not evaluated: what it defines is unknown here");
    }

    private void EndDefine(DefineBlock define)
    {
        if (define.Skipped)
        {
            return;
        }

        (string name, _) = MakeSyntax.SplitFirstWord(define.Header);
        var doubt = new MakeDoubt(_file, define.Line, $"{name} is a define … endef block, which this reader does not interpret");
        _variables[name] = new MakeVariable(
            name,
            MakeFlavor.Recursive,
            [new MakeText(string.Join('\n', define.Body), define.Line)],
            [doubt]);
    }

    private void Notice(int line, string text) => _notices.Add(new MakeDoubt(_file, line, text));

    [GeneratedRegex(@"\A\$[({]eval\s+\$[({](?<host>host-)?(?<infra>[a-z0-9]+(?:-[a-z0-9]+)*?)-package[)}]\s*[)}]\z")]
    private static partial Regex PackageDeclarationLine();

    [GeneratedRegex(@"\A\$[({]eval\s+\$[({](?<macro>[a-z0-9-]+)[)}]\s*[)}]\z")]
    private static partial Regex HarmlessEval();

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
