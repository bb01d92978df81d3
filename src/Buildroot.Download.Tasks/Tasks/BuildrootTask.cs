using Buildroot.Download.Tasks.Infrastructure;
using Microsoft.Build.Framework;
using Task = System.Threading.Tasks.Task;

namespace Buildroot.Download.Tasks;

/// <summary>
/// The plumbing every task shares: cancellation (Ctrl+C) through a token, one async body run
/// to completion, and <see cref="BrdlException"/> turned into a coded MSBuild error.
/// Concrete tasks are thin: item metadata in, the pipeline called, items out.
/// </summary>
public abstract class BuildrootTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        var log = new MSBuildLog(Log);
        try
        {
            // MSBuild calls Execute on a thread of its own; blocking it is what every task does.
            ExecuteAsync(log, _cancellation.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Log.LogWarning(null, MessageCodes.DownloadCancelled, null, null, 0, 0, 0, 0, "The build was cancelled; nothing partial was left in the download folder.");
            return false;
        }
        catch (BrdlException e)
        {
            log.Error(e.Code, e.Message, e.Location);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug of ours: say so plainly, with what is needed to report it.
            log.Error(MessageCodes.TaskFailedUnexpectedly, $"{GetType().Name} failed unexpectedly; please report this with the build log. {e}");
        }

        return !_cancellation.IsCancellationRequested && !Log.HasLoggedErrors;
    }

    internal abstract Task ExecuteAsync(IBuildLog log, CancellationToken cancellationToken);

    /// <summary>
    /// The folder relative paths in an item are relative to: the project that declared it (the
    /// task itself runs from this package's .targets, which is the wrong base).
    /// </summary>
    internal static string ProjectDirectoryOf(ITaskItem item) =>
        item.GetMetadata("DefiningProjectDirectory") is { Length: > 0 } folder ? folder : Directory.GetCurrentDirectory();
}
