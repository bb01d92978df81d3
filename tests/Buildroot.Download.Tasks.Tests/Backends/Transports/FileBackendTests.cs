using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

public sealed class FileBackendTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("file");
    private readonly RecordingLog _log = new();
    private readonly FileBackend _backend = new();

    [RequiresToolsFact("sha256sum")]
    public async Task A_file_site_is_copied_with_its_digests()
    {
        byte[] content = RandomBytes(70_000);
        string source = _folder.Combine("mirror", "pkg-1.0.tar.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllBytes(source, content);
        BackendRequest request = Request(_folder, "file://" + _folder.Combine("mirror"), "pkg-1.0.tar.gz", _log) with { WantedDigests = ["sha256"] };

        BackendResult result = await _backend.FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(content);
        result.Digests["sha256"].ShouldBe(DigestByCoreutils("sha256sum", content));
        result.Executable.ShouldBeFalse();
    }

    [Fact]
    public async Task An_executable_source_is_reported_executable()
    {
        string source = _folder.WriteFile("tools/install.sh", "#!/bin/sh\n");
        MakeOwnerOnlyExecutable(source);
        BackendRequest request = Request(_folder, "file://" + _folder.Combine("tools"), "install.sh", _log);

        BackendResult result = await _backend.FetchAsync(request, CancellationToken.None);

        result.Executable.ShouldBeTrue();
        File.ReadAllText(request.OutputPath).ShouldBe("#!/bin/sh\n");
    }

    [Fact]
    public async Task A_missing_source_is_an_error_naming_the_path()
    {
        BackendRequest request = Request(_folder, "file://" + _folder.Combine("mirror"), "pkg-1.0.tar.gz", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => _backend.FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.FileSourceMissing);
        error.Message.ShouldContain(_folder.Combine("mirror", "pkg-1.0.tar.gz"));
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    public void Dispose() => _folder.Dispose();
}
