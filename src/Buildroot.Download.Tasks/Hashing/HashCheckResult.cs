using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>check-hash's outcomes; the comments give its exit codes.</summary>
internal enum HashCheckOutcome
{
    /// <summary>Every listed hash matched (exit 0).</summary>
    Good,

    /// <summary>No hash file exists: good, with a warning (exit 0), or an error when forced.</summary>
    NoHashFile,

    /// <summary>A hash did not match (exit 2).</summary>
    Mismatch,

    /// <summary>Hash files exist but none lists this file (exit 3).</summary>
    NotListed,

    /// <summary>A line names an algorithm we do not know (exit 4).</summary>
    UnknownAlgorithm,
}

internal sealed record HashMismatch(HashEntry Expected, string ActualHex);

internal sealed record HashCheckResult(
    HashCheckOutcome Outcome,
    ImmutableArray<HashEntry> Verified,
    ImmutableArray<HashMismatch> Mismatches);
