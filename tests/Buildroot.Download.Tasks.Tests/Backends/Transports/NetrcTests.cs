using System.Net;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>netrc files as wget and curl read them, and the built-in http client answering a challenge with them.</summary>
public sealed class NetrcTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("netrc");
    private readonly LoopbackHttpServer _server = new();
    private readonly RecordingLog _log = new();

    public void Dispose()
    {
        _server.Dispose();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("machine mirror.example.org login ci password tok3n", "ci", "tok3n")]
    [InlineData("machine other login a password b\nmachine mirror.example.org\n  login ci\n  password tok3n\n", "ci", "tok3n")]
    [InlineData("machine MIRROR.example.org login ci password \"with space \\\" quote\"", "ci", "with space \" quote")]
    [InlineData("default login anon password guest\nmachine mirror.example.org login ci password tok3n", "ci", "tok3n")]
    [InlineData("machine other login a password b\ndefault login anon password guest", "anon", "guest")]
    [InlineData("macdef init\ncd /pub\nmachine mirror.example.org login fake\n\nmachine mirror.example.org login ci account x password tok3n", "ci", "tok3n")]
    public void The_entry_of_the_host_is_found(string text, string login, string password)
    {
        NetworkCredential credential = Netrc.Find(text, "mirror.example.org").ShouldNotBeNull();

        (credential.UserName, credential.Password).ShouldBe((login, password));
    }

    [Theory]
    [InlineData("# machine for the mirror, see the wiki\nmachine mirror.example.org login ci password tok3n", "ci", "tok3n")]
    [InlineData("machine mirror.example.org login ci password tok3n # the default login is below\n", "ci", "tok3n")]
    [InlineData("machine mirror.example.org login ci password pa#ss", "ci", "pa#ss")]
    [InlineData("machine mirror.example.org login ci password \"#quoted\"", "ci", "#quoted")]
    public void Comments_are_read_as_wget_and_curl_read_them(string text, string login, string password)
    {
        NetworkCredential credential = Netrc.Find(text, "mirror.example.org").ShouldNotBeNull();

        (credential.UserName, credential.Password).ShouldBe((login, password));
    }

    [Fact]
    public void A_commented_out_default_entry_is_no_default() =>
        Netrc.Find("# default login old-ci password leaked-secret\nmachine other login a password b", "mirror.example.org").ShouldBeNull();

    [Fact]
    public async Task A_commented_out_default_entry_is_never_sent_to_a_host_that_asks()
    {
        _server.RequiredBasicAuth = ("old-ci", "leaked-secret");
        _server.Serve("/private/pkg-1.0.tar.gz", RandomBytes(100));
        string netrc = _folder.WriteFile("netrc", "# default login old-ci password leaked-secret\nmachine mirror.corp login ci password tok3n\n");
        using var http = new HttpDownloader(FastSettings with { EnvironmentVariable = name => name == "NETRC" ? netrc : null });

        var error = await Should.ThrowAsync<BrdlException>(() =>
            new WgetBackend(http).FetchAsync(Request(_folder, _server.BaseUri + "/private", "pkg-1.0.tar.gz", _log), CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Message.ShouldContain("401");
    }

    [Fact]
    public void No_entry_for_the_host_and_no_default_is_nothing() =>
        Netrc.Find("machine other login a password b", "mirror.example.org").ShouldBeNull();

    [Fact]
    public void NETRC_names_the_file_else_it_is_netrc_in_the_home_folder()
    {
        Netrc.PathFrom(name => name == "NETRC" ? "/run/secrets/netrc" : "/home/ci").ShouldBe("/run/secrets/netrc");
        Netrc.PathFrom(name => name == "HOME" ? "/home/ci" : null).ShouldBe("/home/ci/.netrc");
    }

    [Fact]
    public async Task A_server_asking_for_credentials_gets_the_netrc_entry_for_its_host()
    {
        _server.RequiredBasicAuth = ("ci-bot", "n3trc-secret");
        byte[] content = RandomBytes(10_000);
        _server.Serve("/private/pkg-1.0.tar.gz", content);
        string netrc = _folder.WriteFile("netrc", "machine 127.0.0.1 login ci-bot password n3trc-secret\n");
        using var http = new HttpDownloader(FastSettings with { EnvironmentVariable = name => name == "NETRC" ? netrc : null });
        BackendRequest request = Request(_folder, _server.BaseUri + "/private", "pkg-1.0.tar.gz", _log);

        await new WgetBackend(http).FetchAsync(request, CancellationToken.None);

        File.ReadAllBytes(request.OutputPath).ShouldBe(content);
        _log.Transcript.ShouldNotContain("n3trc-secret");
    }

    [Fact]
    public async Task Without_a_netrc_entry_the_refusal_says_where_credentials_go()
    {
        _server.RequiredBasicAuth = ("ci-bot", "n3trc-secret");
        _server.Serve("/private/pkg-1.0.tar.gz", RandomBytes(100));
        string netrc = _folder.WriteFile("netrc", "machine elsewhere login a password b\n");
        using var http = new HttpDownloader(FastSettings with { EnvironmentVariable = name => name == "NETRC" ? netrc : null });

        var error = await Should.ThrowAsync<BrdlException>(() =>
            new WgetBackend(http).FetchAsync(Request(_folder, _server.BaseUri + "/private", "pkg-1.0.tar.gz", _log), CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Message.ShouldContain($"put them in {netrc} (a line 'machine 127.0.0.1 login <user> password <secret>'");
    }
}
