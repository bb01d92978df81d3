using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// Doubts gathered from several places, each kept once, in the order first met. Most
/// gatherings hold none or a few: those are compared one by one, without the set and
/// iterators that <c>Distinct()</c> allocates each time; a long one gets a set.
/// </summary>
internal struct DistinctDoubts
{
    private const int ComparedOneByOne = 16;

    private ImmutableArray<MakeDoubt>.Builder? _kept;
    private HashSet<MakeDoubt>? _seen;

    public void Add(MakeDoubt doubt)
    {
        _kept ??= ImmutableArray.CreateBuilder<MakeDoubt>();
        if (_seen is null && _kept.Count >= ComparedOneByOne)
        {
            _seen = [.. _kept];
        }

        if (_seen is null ? !_kept.Contains(doubt) : _seen.Add(doubt))
        {
            _kept.Add(doubt);
        }
    }

    public void AddRange(ImmutableArray<MakeDoubt> doubts)
    {
        foreach (MakeDoubt doubt in doubts)
        {
            Add(doubt);
        }
    }

    public readonly ImmutableArray<MakeDoubt> ToImmutable() => _kept?.ToImmutable() ?? ImmutableArray<MakeDoubt>.Empty;
}
