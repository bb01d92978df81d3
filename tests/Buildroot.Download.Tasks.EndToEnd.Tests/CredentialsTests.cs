using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>A token in a site URL (<c>https://user:token@host</c>) is used for the download and never reaches the build log.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CredentialsTests(PackedPackage package, ITestOutputHelper output)
{
    private const string User = "ci-bot";
    private const string Token = "Tk9tSecret4711";

    [Fact]
    public async Task Credentials_in_a_site_url_are_used_and_never_printed()
    {
        using var server = new LoopbackHttpServer { RequiredBasicAuth = (User, Token) };
        byte[] tarball = Payloads.Bytes("private-3.1");
        server.Serve("/private/private-3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, "creds");
        project.WriteFile("private.hash", Payloads.HashLine("private-3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="private" Version="3.1" Site="http://{User}:{Token}@127.0.0.1:{server.Port}/private" HashFiles="private.hash" />""");

        // Normal verbosity shows each step and command line the download runs.
        BuildResult result = await project.BuildAsync("-v:n");

        result.ShouldSucceed().ShouldNotPrint(Token);
        File.ReadAllBytes(project.DownloadedPath("private", "private-3.1.tar.gz")).ShouldBe(tarball);
    }

    [Fact]
    public async Task Credentials_in_a_site_url_are_not_printed_when_the_download_fails()
    {
        using var server = new LoopbackHttpServer { RequiredBasicAuth = (User, "the-right-one") };
        server.Serve("/private/private-3.1.tar.gz", Payloads.Bytes("private-3.1"));
        using var project = new EndToEndProject(package, output, "credsfail");
        project.WriteProject($"""<BuildrootPackage Include="private" Version="3.1" Site="http://{User}:{Token}@127.0.0.1:{server.Port}/private" />""");

        BuildResult result = await project.BuildAsync("-v:n");

        result.ShouldFailWith("BRDL0101").ShouldNotPrint(Token);
        server.Requests.ShouldNotBeEmpty();
        project.FilesInDownloadFolder().ShouldBeEmpty();
    }
}
