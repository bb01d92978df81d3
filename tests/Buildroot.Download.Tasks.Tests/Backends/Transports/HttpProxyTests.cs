using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;
using static Buildroot.Download.Tasks.Tests.Backends.Transports.TransportTestKit;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>
/// The built-in client honours the proxy variables wget and curl users already set. Each test
/// gives the downloader its own variables, so the process environment is never changed.
/// </summary>
public sealed class HttpProxyTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("proxy");
    private readonly LoopbackHttpServer _proxy = new();
    private readonly LoopbackHttpServer _origin = new();
    private readonly RecordingLog _log = new();

    [Fact]
    public async Task A_request_goes_through_the_proxy_named_by_http_proxy()
    {
        _proxy.Serve("/pkg/pkg-1.0.tar.gz", "through the proxy");
        using var http = Downloader(new() { ["http_proxy"] = _proxy.BaseUri });
        BackendRequest request = Request(_folder, "http://downloads.example.invalid/pkg", "pkg-1.0.tar.gz", _log);

        await new WgetBackend(http).FetchAsync(request, CancellationToken.None);

        File.ReadAllText(request.OutputPath).ShouldBe("through the proxy");
        RecordedRequest seen = _proxy.Requests.ShouldHaveSingleItem();
        seen.Proxied.ShouldBeTrue();
        seen.RawTarget.ShouldBe("http://downloads.example.invalid/pkg/pkg-1.0.tar.gz");
    }

    [Fact]
    public async Task The_upper_case_variable_and_a_proxy_without_scheme_work_too()
    {
        _proxy.Serve("/pkg/pkg-1.0.tar.gz", "through the proxy");
        using var http = Downloader(new() { ["HTTP_PROXY"] = $"127.0.0.1:{_proxy.Port}" });
        BackendRequest request = Request(_folder, "http://downloads.example.invalid/pkg", "pkg-1.0.tar.gz", _log);

        await new WgetBackend(http).FetchAsync(request, CancellationToken.None);

        _proxy.Requests.ShouldHaveSingleItem().Proxied.ShouldBeTrue();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost,127.0.0.1:8080")]
    [InlineData("*")]
    public async Task Hosts_listed_in_no_proxy_are_reached_directly(string noProxy)
    {
        _origin.Serve("/pkg/pkg-1.0.tar.gz", "direct");
        using var http = Downloader(new() { ["http_proxy"] = _proxy.BaseUri, ["no_proxy"] = noProxy });
        BackendRequest request = Request(_folder, _origin.BaseUri + "/pkg", "pkg-1.0.tar.gz", _log);

        await new WgetBackend(http).FetchAsync(request, CancellationToken.None);

        File.ReadAllText(request.OutputPath).ShouldBe("direct");
        _proxy.Requests.ShouldBeEmpty();
        _origin.Requests.ShouldHaveSingleItem().Proxied.ShouldBeFalse();
    }

    [Fact]
    public async Task A_proxy_the_client_cannot_speak_is_a_coded_failure_naming_it_not_an_unexpected_error()
    {
        using var http = Downloader(new() { ["http_proxy"] = "ftp://me:s3cret@127.0.0.1:3128" });
        BackendRequest request = Request(_folder, "http://downloads.example.invalid/pkg", "pkg-1.0.tar.gz", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new WgetBackend(http).FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.HttpFailed);
        error.Message.ShouldContain("ftp://127.0.0.1:3128/");
        error.Message.ShouldContain("http_proxy");
        error.Message.ShouldNotContain("s3cret");
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [Fact]
    public void A_socks5h_proxy_as_curl_users_write_it_is_the_socks5_proxy_that_resolves_names()
    {
        var proxy = new EnvironmentProxy(name => name == "all_proxy" ? "socks5h://127.0.0.1:1080" : null);

        proxy.GetProxy(new Uri("https://github.com/a")).ShouldBe(new Uri("socks5://127.0.0.1:1080"));
        proxy.Refusal(new Uri("https://github.com/a")).ShouldBeNull();
    }

    [Fact]
    public void No_proxy_entries_cover_a_domain_and_its_subdomains_only()
    {
        var proxy = new EnvironmentProxy(name => name switch
        {
            "https_proxy" => "http://proxy.internal:3128",
            "no_proxy" => ".corp.example, intranet",
            _ => null,
        });

        proxy.IsBypassed(new Uri("https://corp.example/a")).ShouldBeTrue();
        proxy.IsBypassed(new Uri("https://git.corp.example/a")).ShouldBeTrue();
        proxy.IsBypassed(new Uri("https://intranet/a")).ShouldBeTrue();
        proxy.IsBypassed(new Uri("https://notcorp.example/a")).ShouldBeFalse();
        proxy.GetProxy(new Uri("https://github.com/a")).ShouldBe(new Uri("http://proxy.internal:3128"));
        proxy.IsBypassed(new Uri("http://github.com/a")).ShouldBeTrue("https_proxy does not apply to http");
    }

    [Fact]
    public void Credentials_in_the_proxy_url_answer_the_proxy_and_stay_out_of_its_address()
    {
        var proxy = new EnvironmentProxy(name => name == "http_proxy" ? "http://me:p%40ss@proxy.internal:3128" : null);

        Uri address = proxy.GetProxy(new Uri("http://example.org/f"))!;

        address.ShouldBe(new Uri("http://proxy.internal:3128"));
        System.Net.NetworkCredential credential = proxy.Credentials!.GetCredential(address, "Basic")!;
        (credential.UserName, credential.Password).ShouldBe(("me", "p@ss"));
    }

    public void Dispose()
    {
        _proxy.Dispose();
        _origin.Dispose();
        _folder.Dispose();
    }

    private static HttpDownloader Downloader(Dictionary<string, string> environment) =>
        new(FastSettings with { EnvironmentVariable = name => environment.GetValueOrDefault(name) });
}
