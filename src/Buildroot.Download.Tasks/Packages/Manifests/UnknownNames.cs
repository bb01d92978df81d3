using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Assignments to variables whose name could not be computed (<c>FOO_TOOLS_$(BR2_X) = …</c>), by
/// the start of the name they had for sure: any variable with that start may have been set.
/// </summary>
internal sealed class UnknownNames
{
    private const int KeyLength = 4;

    private readonly Dictionary<ulong, List<(string Start, ImmutableArray<MakeDoubt> Doubts)>> _byKey = [];
    private readonly List<(string Start, ImmutableArray<MakeDoubt> Doubts)> _short = [];

    public void Add(string start, ImmutableArray<MakeDoubt> doubts)
    {
        if (start.Length < KeyLength)
        {
            _short.Add((start, doubts));
            return;
        }

        ulong key = KeyOf(start);
        if (!_byKey.TryGetValue(key, out List<(string, ImmutableArray<MakeDoubt>)>? entries))
        {
            _byKey[key] = entries = [];
        }

        entries.Add((start, doubts));
    }

    /// <summary>Why <paramref name="name"/> may have been set by an assignment whose name was not known; empty when it cannot have been.</summary>
    public ImmutableArray<MakeDoubt> DoubtsAbout(string name)
    {
        ImmutableArray<MakeDoubt> doubts = ImmutableArray<MakeDoubt>.Empty;
        if (_short.Count > 0)
        {
            doubts = Matching(_short, name, doubts);
        }

        if (name.Length >= KeyLength && _byKey.Count > 0 && _byKey.TryGetValue(KeyOf(name), out List<(string, ImmutableArray<MakeDoubt>)>? entries))
        {
            doubts = Matching(entries, name, doubts);
        }

        return doubts;
    }

    /// <summary>The first four characters, as one number: every variable reference asks, so no string is cut for it.</summary>
    private static ulong KeyOf(string text) =>
        text[0] | ((ulong)text[1] << 16) | ((ulong)text[2] << 32) | ((ulong)text[3] << 48);

    private static ImmutableArray<MakeDoubt> Matching(List<(string Start, ImmutableArray<MakeDoubt> Doubts)> entries, string name, ImmutableArray<MakeDoubt> doubts)
    {
        foreach ((string start, ImmutableArray<MakeDoubt> why) in entries)
        {
            if (name.StartsWith(start, StringComparison.Ordinal))
            {
                doubts = doubts.AddRange(why);
            }
        }

        return doubts;
    }
}
