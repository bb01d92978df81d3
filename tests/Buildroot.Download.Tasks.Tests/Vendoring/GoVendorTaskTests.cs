using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

/// <summary>The <c>GoVendor</c> task run in-process, as MSBuild runs it.</summary>
[Collection(GoVendoringCollection.Name)]
public sealed class GoVendorTaskTests : IDisposable
{
    private readonly GoFileProxy _proxy;
    private readonly VendoringScenario _scenario = new("go-task");
    private readonly RecordingBuildEngine _engine = new();

    public GoVendorTaskTests(GoProxyFixture fixture)
    {
        _proxy = fixture.Proxy;
    }

    public void Dispose() => _scenario.Dispose();

    [RequiresToolsFact("go", "tar", "gzip")]
    public void The_archive_is_vendored_through_the_given_proxy_into_the_output_archive()
    {
        string sources = _proxy.WriteModule(_scenario.Root.Combine("src"), "foo-1.0", ["example.com/brdl/greeting"], moduleFolder: "go");
        string archive = _scenario.Pack(sources, "foo.tar.gz");
        string output = _scenario.Root.Combine("archives", "foo-go2.tar.gz");
        var task = NewTask(archive);
        task.OutputArchive = output;
        task.GoSubdir = "go";
        task.GoProxy = _proxy.Url;

        task.Execute().ShouldBeTrue(_engine.Transcript);

        task.VendoredArchive.ShouldBe(output);
        task.AlreadyVendored.ShouldBeFalse();
        SourceArchives.ReadEntries(output).ShouldContain(e => e.Name == "foo-1.0/go/vendor/example.com/brdl/greeting/greeting.go");
        _engine.Messages.ShouldContain(m => m.Message!.Contains($"GOPROXY={_proxy.Url}"));
        _engine.Messages.ShouldContain(m => m.Message!.Contains("go mod vendor -v -modcacherw"));
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public void A_package_without_go_mod_is_error_BRDL0502_and_the_archive_is_left_as_it_was()
    {
        string archive = _scenario.Pack(Path.GetDirectoryName(_scenario.Root.WriteFile("src/foo-1.0/main.go", "package main\n"))!, "foo.tar.gz");
        byte[] original = File.ReadAllBytes(archive);
        var task = NewTask(archive);
        task.GoProxy = _proxy.Url;

        task.Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.GoModMissing]);
        File.ReadAllBytes(archive).ShouldBe(original);
    }

    [RequiresToolsFact("go", "tar", "gzip")]
    public void A_go_subdir_that_leaves_the_sources_is_error_BRDL0504()
    {
        string archive = _scenario.Pack(Path.GetDirectoryName(_scenario.Root.WriteFile("src/foo-1.0/go.mod", "module example.com/foo\n"))!, "foo.tar.gz");
        var task = NewTask(archive);
        task.GoSubdir = "../../..";

        task.Execute().ShouldBeFalse();

        _engine.ErrorCodes.ShouldBe([MessageCodes.VendoringPathOutsideSources]);
    }

    private GoVendor NewTask(string archive) => new()
    {
        BuildEngine = _engine,
        Archive = archive,
        DownloadDirectory = _scenario.DownloadDirectory,
    };
}
