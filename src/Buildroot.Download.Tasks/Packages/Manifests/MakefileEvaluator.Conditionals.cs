using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Conditionals: <c>ifeq</c>, <c>ifneq</c>, <c>ifdef</c>, <c>ifndef</c>, <c>else [if…]</c>, <c>endif</c>.
/// A condition that depends only on the file is decided as make would; one that depends on
/// anything else (<c>$(BR2_…)</c>) leaves its branches undecided, and whatever they set is doubted.
/// </summary>
internal sealed partial class MakefileEvaluator
{
    private enum Branch
    {
        Active,
        Inactive,
        Undecided,
    }

    /// <summary>Where the lines being read stand: skipped if any enclosing branch is, else undecided if any is.</summary>
    private Branch State
    {
        get
        {
            Branch state = Branch.Active;
            foreach (Conditional conditional in _conditionals)
            {
                if (conditional.State == Branch.Inactive)
                {
                    return Branch.Inactive;
                }

                if (conditional.State == Branch.Undecided)
                {
                    state = Branch.Undecided;
                }
            }

            return state;
        }
    }

    private void OpenConditional(string word, string rest, string file, int line)
    {
        var conditional = new Conditional { Line = line };
        if (State == Branch.Inactive)
        {
            // Inside a skipped branch: only the nesting matters, and no branch of it can run.
            conditional.State = Branch.Inactive;
            conditional.Taken = true;
        }
        else
        {
            Decide(conditional, word, rest, file, line);
        }

        _conditionals.Add(conditional);
        _conditionDoubts = null;
    }

    private void Else(string rest, string file, int line)
    {
        if (_conditionals.Count == 0)
        {
            Notice(file, line, "'else' without a conditional");
            return;
        }

        Conditional conditional = _conditionals[^1];
        _conditionDoubts = null;
        if (conditional.Taken)
        {
            conditional.State = Branch.Inactive;
        }
        else if (rest.Length == 0)
        {
            conditional.State = conditional.MaybeTaken ? Branch.Undecided : Branch.Active;
            conditional.DirectiveText = ("else", null);
            conditional.Taken = !conditional.MaybeTaken;
            conditional.Assumption = conditional.Assumption is var (name, defined) ? (name, !defined) : null;
        }
        else
        {
            int blank = rest.IndexOfAny([' ', '\t']);
            string word = blank < 0 ? rest : rest[..blank];
            Decide(conditional, word, blank < 0 ? string.Empty : rest[blank..].TrimStart(' ', '\t'), file, line);
        }
    }

    private void EndIf(string file, int line)
    {
        if (_conditionals.Count == 0)
        {
            Notice(file, line, "'endif' without a conditional");
            return;
        }

        _conditionals.RemoveAt(_conditionals.Count - 1);
        _conditionDoubts = null;
    }

    /// <summary>Drops the conditionals a file or an eval left open.</summary>
    private void RemoveConditionals(int depth)
    {
        _conditionals.RemoveRange(depth, _conditionals.Count - depth);
        _conditionDoubts = null;
    }

    private void Decide(Conditional conditional, string word, string rest, string file, int line)
    {
        conditional.DirectiveText = (word, rest);
        conditional.Assumption = null;
        (bool? holds, ImmutableArray<MakeDoubt> doubts) = Evaluate(word, rest, file, line);
        if (holds is null && word is "ifdef" or "ifndef")
        {
            // Within this branch make knows whether the variable is defined: nested tests of it are decided.
            conditional.Assumption = (Expander.Expand(rest, file, line).Text.Trim(), word == "ifdef");
        }

        switch (holds)
        {
            case false:
                conditional.State = Branch.Inactive;
                break;
            case true when !conditional.MaybeTaken:
                conditional.State = Branch.Active;
                conditional.Taken = true;
                break;
            default:
                // Undecided here, or decided but after an undecided branch: this branch may or may not run.
                conditional.State = Branch.Undecided;
                conditional.MaybeTaken = true;
                conditional.DirectiveLine = line;
                conditional.Doubts = conditional.Doubts.AddRange(doubts);
                break;
        }
    }

    private (bool? Holds, ImmutableArray<MakeDoubt> Doubts) Evaluate(string word, string rest, string file, int line)
    {
        if (word is "ifdef" or "ifndef")
        {
            Expansion name = Expander.Expand(rest, file, line);
            if (!name.IsCertain)
            {
                return (null, name.Doubts);
            }

            if (Assumed(name.Text.Trim()) is { } assumed)
            {
                return (word == "ifdef" ? assumed : !assumed, ImmutableArray<MakeDoubt>.Empty);
            }

            ImmutableArray<MakeDoubt> unknownNames = DoubtsAbout(name.Text.Trim());
            if (!unknownNames.IsEmpty)
            {
                return (null, unknownNames);
            }

            MakeVariable? variable = Lookup(name.Text.Trim());
            if (variable is null && !_undefinedMeansEmpty(name.Text.Trim()))
            {
                return (null, [new MakeDoubt(file, line, $"$({name.Text.Trim()}) is not defined")]);
            }

            if (variable is { Doubts.IsEmpty: false })
            {
                return (null, variable.Doubts);
            }

            // ifdef asks whether the variable has a non-empty value, without expanding it.
            bool defined = variable is not null && !variable.IsEmpty;
            return (word == "ifdef" ? defined : !defined, ImmutableArray<MakeDoubt>.Empty);
        }

        if (word is "ifeq" or "ifneq" && ComparedTexts(rest) is var (left, right))
        {
            Expansion a = Expander.Expand(left, file, line);
            Expansion b = Expander.Expand(right, file, line);
            if (!a.IsCertain || !b.IsCertain)
            {
                return (null, a.Doubts.AddRange(b.Doubts));
            }

            bool equal = a.Text == b.Text;
            return (word == "ifeq" ? equal : !equal, ImmutableArray<MakeDoubt>.Empty);
        }

        return (null, [new MakeDoubt(file, line, $"'{word} {rest}' is not a conditional this reader can read")]);
    }

    /// <summary>The two texts of <c>(a,b)</c> (blanks around them dropped), <c>"a" "b"</c> or <c>'a' 'b'</c>.</summary>
    private static (string Left, string Right)? ComparedTexts(string arguments)
    {
        if (arguments.StartsWith('(') && arguments.EndsWith(')'))
        {
            string inner = arguments[1..^1];
            int depth = 0;
            for (int i = 0; i < inner.Length; i++)
            {
                depth += inner[i] is '(' or '{' ? 1 : inner[i] is ')' or '}' ? -1 : 0;
                if (depth == 0 && inner[i] == ',')
                {
                    return (inner[..i].Trim(), inner[(i + 1)..].Trim());
                }
            }

            return null;
        }

        string? first = Quoted(ref arguments);
        string? second = first is null ? null : Quoted(ref arguments);
        return second is not null && arguments.Trim().Length == 0 ? (first!, second) : null;
    }

    private static string? Quoted(ref string text)
    {
        text = text.TrimStart(' ', '\t');
        if (text.Length == 0 || text[0] is not ('"' or '\''))
        {
            return null;
        }

        int close = text.IndexOf(text[0], 1);
        if (close < 0)
        {
            return null;
        }

        string quoted = text[1..close];
        text = text[(close + 1)..];
        return quoted;
    }

    /// <summary>Whether an enclosing undecided <c>ifdef</c>/<c>ifndef</c> branch implies <paramref name="name"/> is defined.</summary>
    private bool? Assumed(string name)
    {
        for (int i = _conditionals.Count - 1; i >= 0; i--)
        {
            if (_conditionals[i].Assumption is var (assumedName, defined) && assumedName == name)
            {
                return defined;
            }
        }

        return null;
    }

    /// <summary>
    /// Doubts for something set on the line being read: none when every enclosing branch is known
    /// to run, else why the undecided conditions cannot be decided (each naming its own line).
    /// </summary>
    private ImmutableArray<MakeDoubt> ConditionDoubts()
    {
        // The same for every line between two directives: worked out once (and the same array each time).
        _conditionDoubts ??= State != Branch.Undecided ? ImmutableArray<MakeDoubt>.Empty : UndecidedConditionDoubts();
        return _conditionDoubts.Value;
    }

    private ImmutableArray<MakeDoubt> UndecidedConditionDoubts()
    {
        var doubts = default(DistinctDoubts);
        foreach (Conditional conditional in _conditionals)
        {
            if (conditional.State == Branch.Undecided)
            {
                doubts.AddRange(conditional.Doubts);
            }
        }

        return doubts.ToImmutable();
    }

    private sealed class Conditional
    {
        public required int Line { get; init; }

        public int DirectiveLine { get; set; }

        /// <summary>The directive that decided the current branch, as written (for messages).</summary>
        public string Directive => DirectiveText.Remainder is null ? DirectiveText.Word : $"{DirectiveText.Word} {DirectiveText.Remainder}";

        /// <summary>The parts of <see cref="Directive"/>, joined only when a message needs it.</summary>
        public (string Word, string? Remainder) DirectiveText { get; set; } = (string.Empty, null);

        public Branch State { get; set; }

        /// <summary>A branch is known to have run: the rest are skipped.</summary>
        public bool Taken { get; set; }

        /// <summary>An undecided branch came before: later ones may or may not run.</summary>
        public bool MaybeTaken { get; set; }

        public ImmutableArray<MakeDoubt> Doubts { get; set; } = ImmutableArray<MakeDoubt>.Empty;

        /// <summary>In an undecided <c>ifdef</c>/<c>ifndef</c> branch: the variable tested, and whether the branch means it is defined.</summary>
        public (string Name, bool Defined)? Assumption { get; set; }
    }
}
