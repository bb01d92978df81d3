using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>How a variable's value is kept: as written (<c>=</c>, expanded at each use) or expanded once (<c>:=</c>).</summary>
internal enum MakeFlavor
{
    Recursive,
    Simple,
}

/// <summary>Why a value cannot be trusted, and where in which makefile that comes from.</summary>
internal sealed record MakeDoubt(string File, int Line, string Text)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>A piece of a variable's value with the file and line it was written on (<c>+=</c> adds pieces).</summary>
internal sealed record MakeText(string Text, string File, int Line);

/// <summary>
/// A makefile variable. <see cref="Doubts"/> say why its value cannot be trusted (set under a
/// condition we could not decide, by a shell command…): anything that reads it inherits them,
/// so no value is ever used silently wrong.
/// </summary>
internal sealed record MakeVariable(string Name, MakeFlavor Flavor, MakeTexts Parts, ImmutableArray<MakeDoubt> Doubts)
{
    /// <summary>The value as make holds it: the pieces joined by a space (none before the first non-empty one).</summary>
    public string Value => Parts.Length == 1 ? Parts[0].Text : string.Join(' ', Parts.Texts().Where(text => text.Length > 0));

    /// <summary>True when <see cref="Value"/> is empty (without joining the pieces).</summary>
    public bool IsEmpty
    {
        get
        {
            foreach (MakeText part in Parts)
            {
                if (part.Text.Length > 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Where the variable was first set.</summary>
    public MakeText Origin => Parts[0];

    public static MakeVariable Recursive(string name, string text, string file, int line) =>
        new(name, MakeFlavor.Recursive, MakeTexts.Of(new MakeText(text, file, line)), ImmutableArray<MakeDoubt>.Empty);

    public static MakeVariable Simple(string name, string text, string file, int line, ImmutableArray<MakeDoubt> doubts) =>
        new(name, MakeFlavor.Simple, MakeTexts.Of(new MakeText(text, file, line)), doubts);

    /// <summary><c>+=</c>: <paramref name="text"/> is already expanded when the variable is simple.</summary>
    public MakeVariable Append(string text, string file, int line, ImmutableArray<MakeDoubt> doubts) =>
        this with { Parts = Parts.Add(new MakeText(text, file, line)), Doubts = Union(Doubts, doubts) };

    public MakeVariable WithDoubts(ImmutableArray<MakeDoubt> more)
    {
        ImmutableArray<MakeDoubt> doubts = Union(Doubts, more);
        return doubts == Doubts ? this : this with { Doubts = doubts };
    }

    /// <summary>The doubts of both, each once, in order; the first array itself when the second adds nothing.</summary>
    /// <remarks>This runs for every assignment under an undecided condition, mostly with a few doubts: those are compared one by one, without a set.</remarks>
    private static ImmutableArray<MakeDoubt> Union(ImmutableArray<MakeDoubt> doubts, ImmutableArray<MakeDoubt> more)
    {
        if (more.IsEmpty || doubts == more)
        {
            return doubts;
        }

        if ((long)(doubts.Length + more.Length) * more.Length > 4096)
        {
            ImmutableArray<MakeDoubt> union = doubts.Union(more).ToImmutableArray();
            return union.SequenceEqual(doubts) ? doubts : union;
        }

        if (doubts.IsEmpty && more.Length == 1)
        {
            return more;
        }

        ImmutableArray<MakeDoubt>.Builder? merged = null;
        foreach (MakeDoubt doubt in more)
        {
            if (merged is null ? !doubts.Contains(doubt) : !merged.Contains(doubt))
            {
                merged ??= doubts.ToBuilder();
                merged.Add(doubt);
            }
        }

        return merged?.ToImmutable() ?? doubts;
    }
}

/// <summary>
/// The pieces of a variable's value. They are only ever added to, and a list like <c>PACKAGES</c>
/// gets thousands (one <c>+=</c> per package): so a variable and the one it was appended to share
/// one list, each seeing its own first <see cref="Length"/> pieces, and appending to the longest
/// copies nothing.
/// </summary>
internal readonly struct MakeTexts
{
    private readonly MakeText? _only;
    private readonly List<MakeText>? _shared;

    private MakeTexts(MakeText? only, List<MakeText>? shared, int length)
    {
        _only = only;
        _shared = shared;
        Length = length;
    }

    public int Length { get; }

    public MakeText this[int index] => (uint)index >= (uint)Length
        ? throw new ArgumentOutOfRangeException(nameof(index))
        : _shared is null ? _only! : _shared[index];

    public static MakeTexts Of(MakeText text) => new(text, null, 1);

    public MakeTexts Add(MakeText text)
    {
        // The evaluation runs on one thread: the list is only ever appended to by the variable that sees all of it.
        List<MakeText> list = _shared is null ? [_only!]
            : _shared.Count == Length ? _shared
            : _shared.GetRange(0, Length);
        list.Add(text);
        return new MakeTexts(null, list, Length + 1);
    }

    public IEnumerable<string> Texts()
    {
        for (int i = 0; i < Length; i++)
        {
            yield return this[i].Text;
        }
    }

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator(MakeTexts texts)
    {
        private int _index = -1;

        public readonly MakeText Current => texts[_index];

        public bool MoveNext() => ++_index < texts.Length;
    }
}

/// <summary>The result of expanding text: the value, and the reasons it may be wrong (none when it is certain).</summary>
internal readonly record struct Expansion(string Text, ImmutableArray<MakeDoubt> Doubts)
{
    public bool IsCertain => Doubts.IsEmpty;
}
