using Buildroot.Download.Tasks.Settings;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Puts the Go modules a package needs into its archive, as Buildroot's <c>go</c> download
/// post-process: <c>go mod vendor -v -modcacherw</c> beside the package's <c>go.mod</c>, then the
/// sources repacked reproducibly (same top folder, date of the first file).
/// </summary>
/// <remarks>
/// <para>An archive that already holds <c>&lt;top&gt;/vendor</c> (or <c>&lt;top&gt;/&lt;GoSubdir&gt;/vendor</c>)
/// is left byte-for-byte alone (<see cref="VendoringTask.AlreadyVendored"/>).</para>
/// <para>The tool runs with <c>GOMODCACHE=$(DownloadDirectory)/go-mod-cache</c>, <c>GOFLAGS=-mod=mod</c>,
/// <c>GOTOOLCHAIN=local</c>, <c>GOPROXY</c> from <see cref="GoProxy"/>, and <c>GOPATH</c>/<c>GOCACHE</c> in
/// a scratch folder; <c>GOSUMDB</c>, <c>GONOSUMDB</c>, <c>GOPRIVATE</c>, <c>GOINSECURE</c> and the proxy
/// variables come from the environment. Every build vendoring through that module cache, in any
/// process, takes turns on <c>go-mod-cache/.br-lock</c>.</para>
/// <para>Without <see cref="VendoringTask.OutputArchive"/> the archive is rewritten in place, atomically;
/// on failure it is left as it was. Errors: BRDL0502 (no go.mod), BRDL0501 (go failed),
/// BRDL0402 (an archive entry would land outside the scratch folder).</para>
/// </remarks>
public sealed class GoVendor : VendoringTask
{
    /// <summary>The folder holding <c>go.mod</c>, relative to the archive's top folder; default the top folder.</summary>
    public string? GoSubdir { get; set; }

    /// <summary>GOPROXY (<c>BuildrootGoProxy</c>); default the <c>GOPROXY</c> environment variable, else <c>direct</c>.</summary>
    public string? GoProxy { get; set; }

    /// <summary>The <c>go</c> to run (<c>BuildrootGoPath</c>); default <c>go</c> on PATH.</summary>
    public string? GoPath { get; set; }

    private protected override VendoringPostProcess PostProcess { get; } = new GoPostProcess();

    private protected override StandaloneVendoringRequest Describe(SettingsCollector settings, StandaloneVendoringRequest request) => request with
    {
        GoSubdir = GoSubdir,
        GoProxy = GoProxy,
        Tools = request.Tools with { Go = settings.Read(() => SettingValidators.Program("BuildrootGoPath", GoPath, request.Tools.Go), request.Tools.Go) },
    };
}
