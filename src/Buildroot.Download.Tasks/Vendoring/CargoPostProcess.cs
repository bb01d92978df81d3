using Buildroot.Download.Tasks.Archives;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>
/// The <c>cargo</c> post-process: puts the crates a package needs into <c>&lt;top&gt;/VENDOR</c>
/// with <c>cargo vendor</c>, and the source replacement that points cargo at them into
/// <c>&lt;top&gt;/.cargo/config.toml</c>, so that the package builds offline.
/// </summary>
/// <remarks>
/// <c>CARGO_HOME</c> is <c>&lt;download dir&gt;/br-cargo-home</c>, shared by every build using that
/// download dir. A <c>config.toml</c> put there (a company mirror, a local registry) is honoured:
/// that is what <c>--respect-source-config</c> is for. <c>--locked</c> makes a package without
/// an up-to-date <c>Cargo.lock</c> fail rather than vendor whatever is newest today.
/// </remarks>
internal sealed class CargoPostProcess : VendoringPostProcess
{
    private const string VendorFolder = "VENDOR";

    private static string CargoHome(string downloadDirectory) => Path.Combine(downloadDirectory, "br-cargo-home");

    protected override string ToolName => "cargo";

    public override Task<bool> IsAlreadyVendoredAsync(string archivePath, VendoringSettings settings, CancellationToken cancellationToken) =>
        ArchiveReader.ContainsUnderTopFolderAsync(archivePath, VendorFolder, cancellationToken);

    protected override async Task VendorAsync(UnpackedSources sources, PostProcessRequest request, CancellationToken cancellationToken)
    {
        string manifestSetting = string.IsNullOrEmpty(request.Settings.CargoManifest) ? "Cargo.toml" : request.Settings.CargoManifest;
        string manifest = sources.Resolve(manifestSetting, "CargoManifest");
        if (!File.Exists(manifest))
        {
            throw new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.CargoManifestMissing,
                $"{Path.GetFileName(request.ArchivePath)} has no {manifestSetting} under its top folder: nothing to vendor. "
                + "Set CargoManifest to the Cargo.toml to use, relative to the top folder.");
        }

        string cargoHome = CargoHome(request.DownloadDirectory);
        string configFolder = Path.Combine(sources.Root, ".cargo");
        Directory.CreateDirectory(configFolder);
        string config = Path.Combine(configFolder, "config.toml");

        // cargo vendor prints the source replacement on stdout; a config.toml the project ships
        // is replaced by it (as Buildroot does), and a symlink there is not followed.
        File.Delete(config);

        ExternalCommand command = new ExternalCommand(request.Tools.Cargo)
            .WithArguments("vendor", "--manifest-path", manifest, "--locked", "--respect-source-config", VendorFolder)
            .WithWorkingDirectory(sources.Root)
            .WithEnvironment("CARGO_HOME", cargoHome)
            .WithEnvironment(NetworkToolSettings.CargoEnvironment(request.Limits))
            .WithStallLimit(request.Limits.Stall)
            .WithStandardOutputTo(config)
            .WithMissingToolHint("Install cargo (Debian: apt-get install cargo), or set BuildrootCargoPath to its path.");

        await RunLockedAsync(
            command,
            Path.Combine(cargoHome, ".br-lock"),
            "vendoring Rust crates through the shared cargo home",
            request,
            cancellationToken).ConfigureAwait(false);
        request.Log.Detail($"Wrote the source replacement cargo printed to {Path.Combine(sources.BaseName, ".cargo", "config.toml")}.");
    }
}
