using Buildroot.Download.Tasks.Hashing;

namespace Buildroot.Download.Tasks.Tests.Hashing;

/// <summary>Inline hashes (<c>algo:hex</c>, as the <c>Hash</c> metadata takes them) for tests.</summary>
internal static class TestHashes
{
    public static HashEntry[] Inline(string fileName, params string[] values) =>
        values.Select(value => InlineHash.Parse(value, fileName, out string problem) ?? throw new ArgumentException(problem, nameof(values))).ToArray();
}
