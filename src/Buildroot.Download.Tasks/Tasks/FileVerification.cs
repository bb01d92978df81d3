using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks;

/// <summary>A file in the download folder to check, and how (<see cref="HashPolicy"/> judges it).</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Subject">Its name in the hash files, its expected hashes and its place on the no-check list.</param>
/// <param name="Label">What messages about it start with (its package, or the item), or null.</param>
internal sealed record FileToVerify(string Path, HashCheckSubject Subject, string? Label)
{
    /// <summary>Where its package is declared: what a message points at when no hash file line is at fault.</summary>
    public SourceLocation? Declared { get; init; }
}

/// <summary>
/// Checks files in the download folder as <c>BuildrootVerify</c> does — always re-hashing,
/// several files at once, each read once — and reports each verdict in the order given.
/// </summary>
internal static class FileVerification
{
    /// <param name="items">What to check, in the order to report it.</param>
    /// <param name="describe">The file an item stands for; a <see cref="BrdlException"/> from it (bad input) is that item's error.</param>
    /// <returns>Each item's verdict, or null where it could not be checked or failed.</returns>
    public static async Task<HashVerdict?[]> VerifyAsync<T>(IReadOnlyList<T> items, Func<T, FileToVerify> describe, IBuildLog log, CancellationToken cancellationToken)
    {
        // Hashing is CPU-bound: one file per core at a time.
        using var concurrency = new SemaphoreSlim(Environment.ProcessorCount);
        Outcome[] outcomes = await Task.WhenAll(items.Select(async item =>
        {
            await concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            FileToVerify? file = null;
            try
            {
                file = describe(item);
                return new Outcome(file, await HashPolicy.CheckAsync(file.Path, file.Subject, HashCheckPurpose.Verify, null, cancellationToken).ConfigureAwait(false), null);
            }
            catch (BrdlException e)
            {
                return new Outcome(file, null, e);
            }
            finally
            {
                concurrency.Release();
            }
        })).ConfigureAwait(false);

        return outcomes.Select(outcome => Report(outcome, log)).ToArray();
    }

    private static HashVerdict? Report(Outcome outcome, IBuildLog log)
    {
        string prefix = outcome.File?.Label is { } label ? $"{label}: " : string.Empty;
        if (outcome.Failure is { } failure)
        {
            log.Error(failure.Code, prefix + failure.Message, failure.Location ?? outcome.File?.Declared);
            return null;
        }

        HashVerdict verdict = outcome.Verdict!;
        switch (verdict.Action)
        {
            case HashAction.Accept:
                log.Detail(prefix + verdict.Text);
                return verdict;
            case HashAction.AcceptWithWarning:
                log.Warning(verdict.Code!, prefix + verdict.Text, verdict.Location ?? outcome.File!.Declared);
                return verdict;
            default:
                log.Error(verdict.Code!, prefix + verdict.Text, verdict.Location ?? outcome.File!.Declared);
                return null;
        }
    }

    private sealed record Outcome(FileToVerify? File, HashVerdict? Verdict, BrdlException? Failure);
}
