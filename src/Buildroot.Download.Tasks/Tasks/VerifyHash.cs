using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Settings;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Checks files against Buildroot hash files, as <c>support/download/check-hash</c> does, and
/// reports every failure with its code. Each item is a file, with optional metadata:
/// <list type="bullet">
/// <item><c>HashFiles</c>: hash files to read, <c>;</c>-separated (relative to the project); missing ones are skipped.</item>
/// <item><c>Hash</c>: inline hashes, <c>algo:hex</c>, <c>;</c>-separated.</item>
/// <item><c>NameInHashFiles</c>: the name the hash files list the file under; default its own name.
/// (MSBuild reserves <c>FileName</c> for the name without extension.)</item>
/// <item><c>NoCheck</c>: <c>true</c>/<c>YES</c> puts the file on the no-check list: a file the hash files
/// do not list passes; a listed hash must still match.</item>
/// </list>
/// </summary>
public sealed class VerifyHash : BuildrootTask
{
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>
    /// <c>BuildrootForceCheckHashes</c> (true/false, YES/NO): a file without any hash file is an error
    /// (<c>BR2_DOWNLOAD_FORCE_CHECK_HASHES</c>), not a warning.
    /// </summary>
    public string? ForceCheckHashes { get; set; }

    /// <summary>The files that passed, with metadata <c>HashOutcome</c> (Good, NoHashFile or NotListed) and <c>VerifiedHashes</c>.</summary>
    [Output]
    public ITaskItem[] VerifiedFiles { get; private set; } = [];

    internal override async Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken)
    {
        bool forceCheckHashes = SettingValidators.Boolean("BuildrootForceCheckHashes", ForceCheckHashes, whenEmpty: false);
        using var concurrency = new SemaphoreSlim(Environment.ProcessorCount);
        FileVerdict[] verdicts = await Task.WhenAll(Files.Select(async item =>
        {
            await concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await CheckAsync(item, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                concurrency.Release();
            }
        })).ConfigureAwait(false);

        // Reported in item order, whatever order the checks finished in.
        var verified = new List<ITaskItem>();
        foreach (FileVerdict verdict in verdicts)
        {
            if (Report(verdict, forceCheckHashes, log))
            {
                var output = new TaskItem(verdict.Item);
                output.SetMetadata("HashOutcome", verdict.Result!.Outcome.ToString());
                output.SetMetadata("VerifiedHashes", string.Join(";", verdict.Result.Verified.Select(entry => entry.Algorithm).Distinct()));
                verified.Add(output);
            }
        }

        VerifiedFiles = verified.ToArray();
    }

    private static async Task<FileVerdict> CheckAsync(ITaskItem item, CancellationToken cancellationToken)
    {
        string projectDirectory = ProjectDirectoryOf(item);
        try
        {
            string path = Path.GetFullPath(item.ItemSpec, projectDirectory);
            string nameInHashFiles = item.GetMetadata("NameInHashFiles") is { Length: > 0 } name ? name.Trim() : Path.GetFileName(path);
            bool noCheck = MetadataValues.ParseBoolean(item.GetMetadata("NoCheck"), whenEmpty: false)
                ?? throw new BrdlException(MessageCodes.InvalidBoolean, $"{item.ItemSpec}: NoCheck is '{item.GetMetadata("NoCheck")}'; use true or false (YES and NO work too).");
            string[] hashFiles = MetadataValues.SplitList(item.GetMetadata("HashFiles"))
                .Select(file => Path.GetFullPath(file, projectDirectory))
                .ToArray();

            HashExpectations expected = HashExpectations.Load(nameInHashFiles, hashFiles, MetadataValues.SplitList(item.GetMetadata("Hash")));
            HashCheckResult result = await HashChecker.CheckAsync(path, expected, knownDigests: null, cancellationToken).ConfigureAwait(false);
            return new FileVerdict(item, nameInHashFiles, noCheck, hashFiles, expected, result, Failure: null);
        }
        catch (BrdlException e)
        {
            return new FileVerdict(item, item.ItemSpec, NoCheck: false, [], Expected: null, Result: null, e);
        }
    }

    /// <summary>Logs what one check found; true when the file passed.</summary>
    private static bool Report(FileVerdict verdict, bool forceCheckHashes, IBuildLog log)
    {
        if (verdict.Failure is { } failure)
        {
            log.Error(failure.Code, failure.Message);
            return false;
        }

        HashCheckResult result = verdict.Result!;
        string text = HashCheckReport.Describe(verdict.NameInHashFiles, result, verdict.Expected!, verdict.HashFiles);
        switch (result.Outcome)
        {
            case HashCheckOutcome.Good:
                log.Detail(text);
                return true;
            case HashCheckOutcome.NoHashFile when forceCheckHashes:
                log.Error(MessageCodes.NoHashFile, $"{text} ForceCheckHashes is set, so a file without hash file is an error.");
                return false;
            case HashCheckOutcome.NoHashFile:
                log.Warning(MessageCodes.NoHashFile, text);
                return true;
            case HashCheckOutcome.NotListed when verdict.NoCheck:
                log.Detail($"{verdict.NameInHashFiles}: not listed in its hash files, and on the no-check list: not checked.");
                return true;
            case HashCheckOutcome.NotListed:
                log.Error(MessageCodes.FileNotInHashFiles, text);
                return false;
            case HashCheckOutcome.UnknownAlgorithm:
                log.Error(MessageCodes.UnknownHashAlgorithm, text);
                return false;
            case HashCheckOutcome.Mismatch:
                log.Error(MessageCodes.HashMismatch, text);
                return false;
            default:
                throw new InvalidOperationException($"Unhandled hash check outcome {result.Outcome}.");
        }
    }


    private sealed record FileVerdict(
        ITaskItem Item,
        string NameInHashFiles,
        bool NoCheck,
        string[] HashFiles,
        HashExpectations? Expected,
        HashCheckResult? Result,
        BrdlException? Failure);
}
