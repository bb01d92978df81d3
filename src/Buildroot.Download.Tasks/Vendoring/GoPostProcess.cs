using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>
/// The <c>go</c> post-process: puts the modules a package needs into <c>vendor/</c> beside its
/// <c>go.mod</c> with <c>go mod vendor</c>, so that it builds offline with <c>-mod=vendor</c>.
/// </summary>
/// <remarks>
/// The module cache is <c>&lt;download dir&gt;/go-mod-cache</c>, shared by every build using that
/// download dir; <c>GOPATH</c> and <c>GOCACHE</c> go to the scratch folder, so nothing lands in the
/// user's home. <c>GOSUMDB</c>, <c>GONOSUMDB</c>, <c>GOPRIVATE</c>, <c>GONOPROXY</c>, <c>GOINSECURE</c>
/// and the proxy variables come from the environment as they are.
/// </remarks>
internal sealed class GoPostProcess : VendoringPostProcess
{
    private const string VendorFolder = "vendor";

    private static string ModuleCache(string downloadDirectory) => Path.Combine(downloadDirectory, "go-mod-cache");

    /// <summary>GOPROXY: the configured value (<c>BuildrootGoProxy</c>), else the environment's, else <c>direct</c>.</summary>
    private static string EffectiveGoProxy(string? configured) =>
        !string.IsNullOrEmpty(configured) ? configured
        : Environment.GetEnvironmentVariable("GOPROXY") is { Length: > 0 } inherited ? inherited
        : "direct";

    protected override string ToolName => "go";

    /// <remarks>
    /// Buildroot looks at the top folder only; a module in a subfolder keeps its vendor/ beside
    /// its go.mod, so that is looked for too, in the same pass over the archive.
    /// </remarks>
    public override Task<bool> IsAlreadyVendoredAsync(string archivePath, VendoringSettings settings, CancellationToken cancellationToken) =>
        ArchiveReader.ContainsAnyUnderTopFolderAsync(
            archivePath,
            SubdirOf(settings) is { } subdir ? [VendorFolder, $"{subdir}/{VendorFolder}"] : [VendorFolder],
            cancellationToken);

    protected override async Task VendorAsync(UnpackedSources sources, PostProcessRequest request, CancellationToken cancellationToken)
    {
        string? subdir = SubdirOf(request.Settings);
        string moduleFolder = subdir is null ? sources.Root : sources.Resolve(subdir, "GoSubdir");
        if (!File.Exists(Path.Combine(moduleFolder, "go.mod")))
        {
            throw new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.GoModMissing,
                $"{Path.GetFileName(request.ArchivePath)} has neither a vendor folder nor a go.mod "
                + (subdir is null ? "under its top folder" : $"in {subdir}")
                + ": there is nothing to vendor. Set GoSubdir to the folder holding go.mod when it is not the top folder.");
        }

        string moduleCache = ModuleCache(request.DownloadDirectory);
        string goProxy = EffectiveGoProxy(request.GoProxy);
        request.Log.Detail($"GOPROXY={goProxy} GOMODCACHE={moduleCache}");

        ExternalCommand command = new ExternalCommand(request.Tools.Go)
            .WithArguments("mod", "vendor", "-v", "-modcacherw")
            .WithWorkingDirectory(moduleFolder)
            .WithEnvironment("GOMODCACHE", moduleCache)
            .WithEnvironment("GOPROXY", goProxy)
            .WithEnvironment("GOFLAGS", "-mod=mod")
            .WithEnvironment("GOTOOLCHAIN", "local")
            .WithEnvironment("GO111MODULE", "on")

            // A go.work above the scratch folder must not change what gets vendored.
            .WithEnvironment("GOWORK", "off")
            .WithEnvironment("GOPATH", Path.Combine(request.ScratchFolder, "go-path"))
            .WithEnvironment("GOCACHE", Path.Combine(request.ScratchFolder, "go-build-cache"))
            .WithEnvironment(NetworkToolSettings.GoEnvironment(request.Limits))
            .WithStallLimit(request.Limits.Stall)
            .WithMissingToolHint("Install go (Debian: apt-get install golang-go), or set BuildrootGoPath to its path.");

        await RunLockedAsync(
            command,
            Path.Combine(moduleCache, ".br-lock"),
            "vendoring Go modules through the shared module cache",
            request,
            cancellationToken).ConfigureAwait(false);
    }

    private static string? SubdirOf(VendoringSettings settings) =>
        settings.GoSubdir?.Replace('\\', '/').Trim('/') is { Length: > 0 } subdir && subdir != "." ? subdir : null;
}
