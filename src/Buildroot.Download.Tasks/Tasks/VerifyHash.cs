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
/// <item><c>HashFiles</c>: hash files to read, <c>;</c>-separated (relative to the project); each must exist.</item>
/// <item><c>Hash</c>: inline hashes, <c>algo:hex</c>, <c>;</c>-separated.</item>
/// <item><c>NameInHashFiles</c>: the name the hash files list the file under; default its own name.
/// (MSBuild reserves <c>FileName</c> for the name without extension.)</item>
/// <item><c>NoCheck</c>: <c>true</c>/<c>YES</c> puts the file on the no-check list: a file the hash files
/// do not list passes; a listed hash must still match.</item>
/// <item><c>Transient</c>: <c>true</c>/<c>YES</c> for a transient package's file, which is never checked
/// (as the download never checks it).</item>
/// </list>
/// What each outcome means is <see cref="HashPolicy"/>'s, the same as for a download.
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
        HashVerdict?[] verdicts = await FileVerification.VerifyAsync(Files, item => Describe(item, forceCheckHashes), log, cancellationToken).ConfigureAwait(false);

        var verified = new List<ITaskItem>();
        foreach ((ITaskItem item, HashVerdict? verdict) in Files.Zip(verdicts))
        {
            if (verdict is not null)
            {
                var output = new TaskItem(item);
                output.SetMetadata("HashOutcome", verdict.Outcome?.ToString() ?? "NotChecked");
                output.SetMetadata("VerifiedHashes", string.Join(";", verdict.Verified.Select(entry => entry.Algorithm).Distinct()));
                verified.Add(output);
            }
        }

        VerifiedFiles = verified.ToArray();
    }

    /// <summary>What the item's metadata says to check; bad metadata is a coded error for this item.</summary>
    private static FileToVerify Describe(ITaskItem item, bool forceCheckHashes)
    {
        string projectDirectory = ProjectDirectoryOf(item);
        string path = Path.GetFullPath(item.ItemSpec, projectDirectory);
        string nameInHashFiles = item.GetMetadata("NameInHashFiles") is { Length: > 0 } name ? name.Trim() : Path.GetFileName(path);
        IEnumerable<string> hashFiles = MetadataValues.SplitList(item.GetMetadata("HashFiles")).Select(file => Path.GetFullPath(file, projectDirectory));
        var inline = MetadataValues.SplitList(item.GetMetadata("Hash")).Select(value =>
            InlineHash.Parse(value, nameInHashFiles, out string problem)
            ?? throw new BrdlException(FailureScope.Package, MessageCodes.InvalidInlineHash, $"{item.ItemSpec}: invalid Hash metadata: {problem}."));
        return new FileToVerify(
            path,
            new HashCheckSubject(
                nameInHashFiles,
                HashExpectations.Load(nameInHashFiles, hashFiles, inline.ToArray()),
                NoCheck: Boolean(item, "NoCheck"),
                Transient: Boolean(item, "Transient"),
                forceCheckHashes),
            Label: null);
    }

    private static bool Boolean(ITaskItem item, string name) =>
        MetadataValues.ParseBoolean(item.GetMetadata(name), whenEmpty: false)
        ?? throw new BrdlException(FailureScope.Package, MessageCodes.InvalidBoolean, $"{item.ItemSpec}: {name} is '{QuotedText.Cut(item.GetMetadata(name))}'; use true or false (YES and NO work too).");
}
