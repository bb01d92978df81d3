using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// Credentials: read from netrc (<c>~/.netrc</c>, or the file <c>NETRC</c> names) by every way a
/// file is fetched, so they never enter the project, the command line or the binary log; a token
/// in a site URL (<c>https://user:token@host</c>) still works, never reaches the console, and is
/// warned about (BRDL0028), since MSBuild's binary log records it.
/// </summary>
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

        result.ShouldSucceed().ShouldNotPrint(Token).ShouldWarn("BRDL0028");
        result.LinesWith("BRDL0028").ShouldContain(line => line.Contains("Site metadata", StringComparison.Ordinal) && line.Contains("binary logs", StringComparison.Ordinal) && line.Contains("netrc", StringComparison.Ordinal), result.ToString());
        File.ReadAllBytes(project.DownloadedPath("private", "private-3.1.tar.gz")).ShouldBe(tarball);
        BinaryLog.Text(result).ShouldContain(Token, Case.Sensitive, "what the warning is about: MSBuild logs the item and its metadata");
    }

    [Fact]
    public async Task A_password_in_a_mirror_property_is_warned_about_and_never_printed()
    {
        using var server = new LoopbackHttpServer();
        using var project = new EndToEndProject(package, output, "credsmirror");
        project.WriteProject("""<BuildrootPackage Include="zlib" Version="1.3.1" Site="http://127.0.0.1:1" />""");

        BuildResult result = await project.RunTargetAsync("BuildrootShowInfo", $"-p:BuildrootPrimarySite=http://{User}:{Token}@127.0.0.1:{server.Port}/mirror");

        result.ShouldSucceed().ShouldWarn("BRDL0028").ShouldNotPrint(Token);
        result.LinesWith("BRDL0028").ShouldContain(line => line.Contains("BuildrootPrimarySite", StringComparison.Ordinal), result.ToString());
    }

    /// <summary>
    /// The built-in client (wget method), the real wget (a package with DlOpts) and curl: each reads
    /// netrc. The real wget is given ~/.netrc: wget 1.21 ignores NETRC (the README says so).
    /// </summary>
    [Theory]
    [InlineData("builtin", "", false)]
    [InlineData("builtin", "", true)]
    [InlineData("wget", "DlOpts=\"--no-verbose\"", true)]
    [InlineData("curl", "SiteMethod=\"curl\"", false)]
    public async Task A_site_that_demands_credentials_gets_them_from_netrc_and_they_appear_in_no_log(string client, string attributes, bool inHomeFolder)
    {
        using var server = new LoopbackHttpServer { RequiredBasicAuth = (User, Token) };
        byte[] tarball = Payloads.Bytes("private-3.1");
        server.Serve("/private/private-3.1.tar.gz", tarball);
        using var project = new EndToEndProject(package, output, $"netrc-{client}");
        string home = Path.Combine(project.Root, "home");
        Directory.CreateDirectory(home);
        string netrc = Path.Combine(home, inHomeFolder ? ".netrc" : "ci-netrc");
        File.WriteAllText(netrc, $"machine 127.0.0.1\n  login {User}\n  password {Token}\n");
        File.SetUnixFileMode(netrc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        project.BuildEnvironment[inHomeFolder ? "HOME" : "NETRC"] = inHomeFolder ? home : netrc;
        project.WriteFile("private.hash", Payloads.HashLine("private-3.1.tar.gz", tarball));
        project.WriteProject($"""<BuildrootPackage Include="private" Version="3.1" Site="{server.BaseUri}/private" HashFiles="private.hash" {attributes} />""");

        BuildResult result = await project.BuildAsync("-v:n");

        result.ShouldSucceed().ShouldNotPrint(Token).ShouldNotWarn("BRDL0028");
        File.ReadAllBytes(project.DownloadedPath("private", "private-3.1.tar.gz")).ShouldBe(tarball);
        server.Requests.ShouldContain(r => r.Authorization != null && r.Path == "/private/private-3.1.tar.gz", $"{client} sent the netrc credentials");
        BinaryLog.Text(result).ShouldNotContain(Token, Case.Sensitive);
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
