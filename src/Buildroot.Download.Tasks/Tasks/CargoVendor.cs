using Buildroot.Download.Tasks.Settings;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Puts the Rust crates a package needs into its archive, as Buildroot's <c>cargo</c> download
/// post-process: <c>cargo vendor --manifest-path &lt;CargoManifest&gt; --locked --respect-source-config VENDOR</c>
/// in the unpacked sources, with its source replacement written to <c>.cargo/config.toml</c>, then
/// the sources repacked reproducibly (same top folder, date of the first file).
/// </summary>
/// <remarks>
/// <para>An archive that already holds <c>&lt;top&gt;/VENDOR</c> is left byte-for-byte alone
/// (<see cref="VendoringTask.AlreadyVendored"/>).</para>
/// <para><c>CARGO_HOME</c> is <c>$(DownloadDirectory)/br-cargo-home</c>; a <c>config.toml</c> put there
/// (a company mirror, a local registry) is honoured. Every build vendoring through that folder,
/// in any process, takes turns on <c>br-cargo-home/.br-lock</c>, the lock Buildroot's own
/// <c>flock</c> uses: cargo's own locking lets concurrent runs fail.</para>
/// <para>Without <see cref="VendoringTask.OutputArchive"/> the archive is rewritten in place, atomically;
/// on failure it is left as it was. Errors: BRDL0503 (no manifest), BRDL0501 (cargo failed),
/// BRDL0402 (an archive entry would land outside the scratch folder).</para>
/// </remarks>
public sealed class CargoVendor : VendoringTask
{
    /// <summary>The <c>Cargo.toml</c> to vendor for, relative to the archive's top folder; default <c>Cargo.toml</c>.</summary>
    public string? CargoManifest { get; set; }

    /// <summary>The <c>cargo</c> to run (<c>BuildrootCargoPath</c>); default <c>cargo</c> on PATH.</summary>
    public string? CargoPath { get; set; }

    private protected override VendoringPostProcess PostProcess { get; } = new CargoPostProcess();

    private protected override StandaloneVendoringRequest Describe(SettingsCollector settings, StandaloneVendoringRequest request) => request with
    {
        CargoManifest = CargoManifest,
        Tools = request.Tools with { Cargo = settings.Read(() => SettingValidators.Program("BuildrootCargoPath", CargoPath, request.Tools.Cargo), request.Tools.Cargo) },
    };
}
