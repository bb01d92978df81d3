using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Download;

/// <summary>What the wrapper uses but does not own: post-processes, the runner, the log, the asset caches of the run (null: none declared).</summary>
internal sealed record DownloadServices(
    Func<string, IDownloadPostProcess> PostProcesses,
    ProcessRunner Runner,
    IBuildLog Log,
    TransientDownloads Transients,
    AssetCacheRun? Caches = null);
