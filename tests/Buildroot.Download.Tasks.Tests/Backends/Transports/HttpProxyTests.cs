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
    [InlineData("127.0.0.0/8")]
    [InlineData("10.0.0.0/8, 127.0.0.0/8, ::1/128")]
    [InlineData("192.168.0.0/16,127.0.0.1/32")]
    [InlineData("127.0.0.1/8")]
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

    [Theory]
    [InlineData("::1", "::1/128", true)]
    [InlineData("::1", "10.0.0.0/8,::/127", true)]
    [InlineData("::1", "[::1]", true)]
    [InlineData("::1", "fe80::/10", false)]
    [InlineData("::1", "127.0.0.0/8", false)] // an IPv4 range never covers an IPv6 address
    [InlineData("127.0.0.1", "::/0", false)] // nor the other way round
    [InlineData("127.0.0.1", "10.0.0.0/8", false)]
    [InlineData("127.0.0.1", "128.0.0.0/1", false)]
    [InlineData("127.0.0.1", "127.0.0.0/33", false)] // not a range, as curl reads it: no address is in it
    public async Task An_ip_address_is_reached_directly_only_when_a_no_proxy_range_of_its_family_holds_it(string address, string noProxy, bool direct)
    {
        using var origin = new LoopbackHttpServer(System.Net.IPAddress.Parse(address));
        origin.Serve("/pkg/pkg-1.0.tar.gz", "direct");
        _proxy.Serve("/pkg/pkg-1.0.tar.gz", "through the proxy");
        using var http = Downloader(new() { ["http_proxy"] = _proxy.BaseUri, ["no_proxy"] = noProxy });
        BackendRequest request = Request(_folder, origin.BaseUri + "/pkg", "pkg-1.0.tar.gz", _log);

        await new WgetBackend(http).FetchAsync(request, CancellationToken.None);

        File.ReadAllText(request.OutputPath).ShouldBe(direct ? "direct" : "through the proxy");
        (direct ? origin.Requests : _proxy.Requests).ShouldHaveSingleItem();
        (direct ? _proxy.Requests : origin.Requests).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http_proxy", "http://me:s3cret@127.0.0.1:99999")] // a port out of range
    [InlineData("HTTP_PROXY", "me:s3cret@127.0.0.1:99999")] // the same without a scheme
    [InlineData("http_proxy", "htp//broken")] // a scheme that lost its colon
    [InlineData("all_proxy", "http://me:s3cret@[::1:3128")]
    [InlineData("http_proxy", "http://pro xy:3128")]
    [InlineData("http_proxy", "ftp://me:s3cret@127.0.0.1:3128")] // a scheme the client does not speak
    [InlineData("http_proxy", "socks6://127.0.0.1:1080")]
    [InlineData("https_proxy", "https://me:s3cret@proxy.internal:-1")]
    public async Task A_proxy_variable_that_is_not_a_usable_proxy_is_a_coded_error_naming_it_not_a_direct_download(string variable, string value)
    {
        _origin.Serve("/pkg/pkg-1.0.tar.gz", "direct");
        using var http = Downloader(new() { [variable] = value });
        string site = (variable.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? "https" : "http") + $"://127.0.0.1:{_origin.Port}/pkg";
        BackendRequest request = Request(_folder, site, "pkg-1.0.tar.gz", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => new WgetBackend(http).FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.InvalidProxySetting, error.Message);
        error.Scope.ShouldBe(FailureScope.Build); // no other site would get past the environment
        error.Message.ShouldContain($"{variable} ");
        error.Message.ShouldContain("no_proxy");
        error.Message.ShouldNotContain("s3cret");
        _origin.Requests.ShouldBeEmpty();
        File.Exists(request.OutputPath).ShouldBeFalse();
    }

    [Fact]
    public async Task A_broken_proxy_variable_that_a_request_does_not_use_is_not_held_against_it()
    {
        // As curl: https_proxy is read for https only, and a host in no_proxy needs no proxy at all.
        _origin.Serve("/pkg/pkg-1.0.tar.gz", "direct");
        using var http = Downloader(new() { ["https_proxy"] = "http://127.0.0.1:99999", ["all_proxy"] = "htp//broken", ["http_proxy"] = "http://pro xy", ["no_proxy"] = "127.0.0.1" });
        BackendRequest request = Request(_folder, _origin.BaseUri + "/pkg", "pkg-1.0.tar.gz", _log);

        await new WgetBackend(http).FetchAsync(request, CancellationToken.None);

        File.ReadAllText(request.OutputPath).ShouldBe("direct");
    }

    [Fact]
    public void A_socks5h_proxy_as_curl_users_write_it_is_the_socks5_proxy_that_resolves_names()
    {
        var proxy = new EnvironmentProxy(name => name == "all_proxy" ? "socks5h://127.0.0.1:1080" : null);

        proxy.GetProxy(new Uri("https://github.com/a")).ShouldBe(new Uri("socks5://127.0.0.1:1080"));
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
