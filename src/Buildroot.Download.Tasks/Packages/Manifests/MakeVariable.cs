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
internal sealed record MakeVariable(string Name, MakeFlavor Flavor, ImmutableArray<MakeText> Parts, ImmutableArray<MakeDoubt> Doubts)
{
    /// <summary>The value as make holds it: the pieces joined by a space (none before the first non-empty one).</summary>
    public string Value => Parts.Length == 1 ? Parts[0].Text : string.Join(' ', Parts.Select(part => part.Text).Where(text => text.Length > 0));

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
        new(name, MakeFlavor.Recursive, [new MakeText(text, file, line)], ImmutableArray<MakeDoubt>.Empty);

    public static MakeVariable Simple(string name, string text, string file, int line, ImmutableArray<MakeDoubt> doubts) =>
        new(name, MakeFlavor.Simple, [new MakeText(text, file, line)], doubts);

    /// <summary><c>+=</c>: <paramref name="text"/> is already expanded when the variable is simple.</summary>
    public MakeVariable Append(string text, string file, int line, ImmutableArray<MakeDoubt> doubts) =>
        this with { Parts = Parts.Add(new MakeText(text, file, line)), Doubts = Union(Doubts, doubts) };

    public MakeVariable WithDoubts(ImmutableArray<MakeDoubt> more)
    {
        ImmutableArray<MakeDoubt> doubts = Union(Doubts, more);
        return doubts == Doubts ? this : this with { Doubts = doubts };
    }

    /// <summary>The doubts of both, each once, in order; the first array itself when the second adds nothing.</summary>
    private static ImmutableArray<MakeDoubt> Union(ImmutableArray<MakeDoubt> doubts, ImmutableArray<MakeDoubt> more)
    {
        if (more.IsEmpty || doubts == more)
        {
            return doubts;
        }

        if (doubts.IsEmpty)
        {
            return more.Length == 1 ? more : more.Distinct().ToImmutableArray();
        }

        foreach (MakeDoubt doubt in more)
        {
            if (!doubts.Contains(doubt))
            {
                return doubts.Union(more).ToImmutableArray();
            }
        }

        return doubts;
    }
}

/// <summary>The result of expanding text: the value, and the reasons it may be wrong (none when it is certain).</summary>
internal readonly record struct Expansion(string Text, ImmutableArray<MakeDoubt> Doubts)
{
    public bool IsCertain => Doubts.IsEmpty;
}
