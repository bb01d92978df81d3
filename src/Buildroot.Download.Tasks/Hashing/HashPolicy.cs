using System.Collections.Immutable;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>Why a file's hashes are checked: the same outcome calls for different actions.</summary>
internal enum HashCheckPurpose
{
    /// <summary>A file already in the download folder, before deciding whether to download it again.</summary>
    ExistingFile,

    /// <summary>A file just fetched from one site, before it is installed.</summary>
    Download,

    /// <summary><c>BuildrootVerify</c>: a file in the download folder, checked on request.</summary>
    Verify,
}

/// <summary>What to do with a file once its hashes are judged.</summary>
internal enum HashAction
{
    /// <summary>Keep it (or install it).</summary>
    Accept,

    /// <summary>Keep it (or install it), and warn: nothing could check it.</summary>
    AcceptWithWarning,

    /// <summary>The file in the download folder is wrong: warn, remove it and download it again.</summary>
    DownloadAgain,

    /// <summary>The bytes one site delivered are wrong: throw them away and try the next site.</summary>
    TryNextSite,

    /// <summary>No site can help: the package (for <c>BuildrootVerify</c>, the file) fails.</summary>
    Fail,
}

/// <summary>One file to judge: its name in the hash files, what it is checked against, and how.</summary>
/// <param name="FileName">The name hash files list it under (its final name).</param>
/// <param name="Expected">The hashes it must match.</param>
/// <param name="NoCheck">On Buildroot's no-check list (a method whose archives are not reproducible): a hash file that does not list it is no failure.</param>
/// <param name="Transient">A transient package's file: never checked, by design (it follows a branch head).</param>
/// <param name="ForceCheckHashes"><c>BuildrootForceCheckHashes</c>: a file without any hash file fails.</param>
internal sealed record HashCheckSubject(string FileName, HashExpectations Expected, bool NoCheck, bool Transient, bool ForceCheckHashes);

/// <summary>The policy's answer: what to do, the code and text to report, the hashes matched.</summary>
/// <param name="Outcome">What check-hash found; null when the file was not checked at all (transient).</param>
/// <param name="Code">The code to report the verdict with, when it is a warning or an error.</param>
/// <param name="Text">What to report, on one line (every line of a message becomes a CI annotation of its own).</param>
internal sealed record HashVerdict(HashAction Action, HashCheckOutcome? Outcome, string? Code, string Text, ImmutableArray<HashEntry> Verified)
{
    /// <summary>True when the file matched its expected hashes (not merely passed for want of any).</summary>
    public bool IsVerified => !Verified.IsEmpty;

    /// <summary>
    /// The hash file (and line) at fault, for MSBuild to point at: the line whose hash did not match,
    /// the line of an unknown algorithm, the hash file that does not list the file. Null when the
    /// fault is the package's (no hash file at all): it is reported at the package's definition.
    /// </summary>
    public SourceLocation? Location { get; init; }

    /// <summary>The verdict in a few words, for the line that says a file is in: "sha256 verified", "not checked: no hash file".</summary>
    public string Summary => IsVerified
        ? $"{string.Join(" and ", Verified.Select(entry => entry.Algorithm).Distinct(StringComparer.Ordinal))} verified"
        : Outcome switch
        {
            null => "not checked (transient package)",
            HashCheckOutcome.NoHashFile when Action == HashAction.Accept => "not checked (its method makes no reproducible archives)",
            HashCheckOutcome.NoHashFile => "not checked: no hash file",
            HashCheckOutcome.NotListed => "not checked (on the no-check list)",
            _ => "not verified",
        };
}

/// <summary>
/// The one place that decides what a hash check means — check-hash's outcomes and exit codes,
/// Buildroot's no-check list and forced checks, transient packages — and what is said about it,
/// for the download (an existing file, a fresh one) and for <c>BuildrootVerify</c> alike.
/// </summary>
internal static class HashPolicy
{
    /// <summary>
    /// Checks <paramref name="path"/> as <paramref name="subject"/> says (reading it at most once;
    /// <paramref name="knownDigests"/> computed while downloading spare the read) and judges the outcome.
    /// </summary>
    public static async Task<HashVerdict> CheckAsync(
        string path,
        HashCheckSubject subject,
        HashCheckPurpose purpose,
        IReadOnlyDictionary<string, string>? knownDigests,
        CancellationToken cancellationToken)
    {
        if (subject.Transient)
        {
            return new HashVerdict(HashAction.Accept, null, null, $"{subject.FileName}: not checked against hashes (transient package).", []);
        }

        HashCheckResult result = await HashChecker.CheckAsync(path, subject.Expected, knownDigests, cancellationToken).ConfigureAwait(false);
        return Judge(result, subject, purpose);
    }

    /// <summary>What <paramref name="result"/> means for <paramref name="subject"/>, checked for <paramref name="purpose"/>.</summary>
    public static HashVerdict Judge(HashCheckResult result, HashCheckSubject subject, HashCheckPurpose purpose)
    {
        string report = HashCheckReport.Describe(subject.FileName, result, subject.Expected);
        HashVerdict Verdict(HashAction action, string? code, string text) => new(action, result.Outcome, code, text, []) { Location = FaultAt(result, subject) };
        HashVerdict Accept(string text) => Verdict(HashAction.Accept, null, text);
        switch (result.Outcome)
        {
            case HashCheckOutcome.Good:
                return new HashVerdict(HashAction.Accept, result.Outcome, null, report, result.Verified);
            case HashCheckOutcome.NoHashFile when subject.NoCheck:
                return Accept($"{subject.FileName}: not checked against hashes (its download method does not make reproducible archives).");
            case HashCheckOutcome.NoHashFile when subject.ForceCheckHashes:
                return Verdict(HashAction.Fail, MessageCodes.NoHashFile, HashCheckReport.NoHashFile(subject.FileName, "refused, as BuildrootForceCheckHashes is set"));
            case HashCheckOutcome.NoHashFile:
                return Verdict(HashAction.AcceptWithWarning, MessageCodes.NoHashFile, report);
            case HashCheckOutcome.NotListed when subject.NoCheck:
                return Accept($"{subject.FileName}: not listed in its hash files, and on the no-check list (its download method does not make reproducible archives): not checked.");
            case HashCheckOutcome.NotListed:
                return Verdict(HashAction.Fail, MessageCodes.FileNotInHashFiles, report);
            case HashCheckOutcome.UnknownAlgorithm:
                return Verdict(HashAction.Fail, MessageCodes.UnknownHashAlgorithm, report);
            case HashCheckOutcome.Mismatch when purpose == HashCheckPurpose.ExistingFile:
                return Verdict(HashAction.DownloadAgain, MessageCodes.ExistingFileWrongHash, $"{subject.FileName} in the download folder does not match its hashes; removing it and downloading it again. {report}");
            case HashCheckOutcome.Mismatch when purpose == HashCheckPurpose.Download:
                return Verdict(HashAction.TryNextSite, MessageCodes.HashMismatch, report);
            case HashCheckOutcome.Mismatch:
                return Verdict(HashAction.Fail, MessageCodes.HashMismatch, report);
            default:
                throw new ArgumentOutOfRangeException(nameof(result), result.Outcome, "Not a hash check outcome.");
        }
    }

    private static SourceLocation? FaultAt(HashCheckResult result, HashCheckSubject subject) => result.Outcome switch
    {
        HashCheckOutcome.Mismatch => result.Mismatches.Select(m => m.Expected.Location).FirstOrDefault(l => l is not null),
        HashCheckOutcome.UnknownAlgorithm => subject.Expected.Entries.Where(e => !HashAlgorithms.IsKnown(e.Algorithm)).Select(e => e.Location).FirstOrDefault(l => l is not null),
        HashCheckOutcome.NotListed => subject.Expected.HashFilesRead.Select(file => (SourceLocation?)new SourceLocation(file, 0)).FirstOrDefault(),
        _ => null,
    };
}
