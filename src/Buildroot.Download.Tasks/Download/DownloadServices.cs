using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Download;

/// <summary>What the wrapper uses but does not own: post-processes, the runner, the log.</summary>
internal sealed record DownloadServices(
    Func<string, IDownloadPostProcess> PostProcesses,
    ProcessRunner Runner,
    IBuildLog Log,
    TransientDownloads Transients);
