using System.Collections.Immutable;
using System.Text;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// The directives that bring in or take out whole texts: <c>include</c> (and <c>-include</c>,
/// <c>sinclude</c>), <c>define</c> … <c>endef</c> blocks, and <c>undefine</c>.
/// </summary>
internal sealed partial class MakefileEvaluator
{
    private const int MaxIncludeDepth = 50;

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

            if (++_includeDepth > MaxIncludeDepth)
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

        ReadOnlySpan<char> name = MakeSyntax.FirstWord(define.Header.AsSpan().Trim(), out ReadOnlySpan<char> op);
        string body = define.Body;
        MakeVariable variable;
        if (op.Trim() is ":=" or "::=")
        {
            Expansion value = Expander.Expand(body, file, define.Line);
            variable = MakeVariable.Simple(name.ToString(), value.Text, file, define.Line, value.Doubts);
        }
        else
        {
            variable = MakeVariable.Recursive(name.ToString(), body, file, define.Line);
        }

        _variables[variable.Name] = variable.WithDoubts(ConditionDoubts());
    }

    /// <summary>
    /// A <c>define NAME</c> … <c>endef</c> block being read (nested defines count). Its body is
    /// cut from the text in one piece when its lines lie there as they are (no continuation joined).
    /// </summary>
    private sealed class DefineBlock(string header, int line, bool skipped)
    {
        private int _depth = 1;
        private int _lines;
        private ReadOnlyMemory<char> _source;
        private int _start;
        private int _end;
        private StringBuilder? _joined;

        public string Header => header;

        public int Line => line;

        public bool Skipped => skipped;

        /// <summary>The lines between define and endef, joined with newlines.</summary>
        public string Body => _joined?.ToString() ?? _source.Span[_start.._end].ToString();

        /// <summary>Takes one line of the body; true when it was the closing endef.</summary>
        public bool Consume(MakeLine line)
        {
            ReadOnlySpan<char> first = MakeSyntax.FirstWord(line.Span.Trim(), out _);
            if (first is "define")
            {
                _depth++;
            }
            else if (first is "endef" && --_depth == 0)
            {
                return true;
            }

            if (!Skipped)
            {
                Add(line);
            }

            return false;
        }

        private void Add(MakeLine line)
        {
            bool follows = _lines == 0 || (line.Source.Equals(_source) && line.Start == _end + 1);
            if (_joined is null && !line.IsJoined && follows)
            {
                if (_lines == 0)
                {
                    _source = line.Source;
                    _start = line.Start;
                }

                _end = line.End;
            }
            else
            {
                if (_joined is null)
                {
                    _joined = new StringBuilder().Append(_source.Span[_start.._end]);
                }

                if (_lines > 0)
                {
                    _joined.Append('\n');
                }

                _joined.Append(line.Span);
            }

            _lines++;
        }
    }
}
