using Buildroot.Download.Tasks.Cache;
using Buildroot.Download.Tasks.Cache.S3;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>Placeholders substituted so that no file or package name can change a URL's structure.</summary>
public sealed class CacheUrlTemplateTests
{
    private const string Sha = "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23";

    [Fact]
    public void Placeholders_are_replaced_by_the_sha256_the_file_and_the_package()
    {
        CacheUrlTemplate template = CacheUrlTemplate.Parse("https://cache.example.com/br/{package}/{sha256}/{file}");

        template.Expand(new CacheEntry("zlib", "zlib-1.3.1.tar.xz", Sha))
            .ShouldBe($"https://cache.example.com/br/zlib/{Sha}/zlib-1.3.1.tar.xz");
    }

    [Theory]
    [InlineData("a?b=c.tar.gz", "a%3Fb%3Dc.tar.gz")]
    [InlineData("a#frag.tar.gz", "a%23frag.tar.gz")]
    [InlineData("100%.tar.gz", "100%25.tar.gz")]
    [InlineData("a b&c;d.tar.gz", "a%20b%26c%3Bd.tar.gz")]
    [InlineData("über.tar.gz", "%C3%BCber.tar.gz")]
    public void A_file_name_is_escaped_and_stays_one_path_segment(string file, string escaped)
    {
        CacheUrlTemplate template = CacheUrlTemplate.Parse("https://cache.example.com/br/{sha256}/{file}?fixed=1");

        string url = template.Expand(new CacheEntry("pkg", file, Sha));

        url.ShouldBe($"https://cache.example.com/br/{Sha}/{escaped}?fixed=1");
        var uri = new Uri(url);
        uri.Host.ShouldBe("cache.example.com");
        uri.Segments.Length.ShouldBe(4);
        uri.Query.ShouldBe("?fixed=1");
        Uri.UnescapeDataString(uri.Segments[3]).ShouldBe(file);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/../../etc")]
    [InlineData("")]
    public void A_name_that_is_not_one_plain_segment_is_refused(string file)
    {
        CacheUrlTemplate template = CacheUrlTemplate.Parse("https://cache.example.com/{sha256}/{file}");

        Should.Throw<BrdlException>(() => template.Expand(new CacheEntry("pkg", file, Sha))).Code.ShouldBe(MessageCodes.InvalidAssetCache);
    }

    [Fact]
    public void An_s3_key_keeps_the_names_and_is_encoded_once_for_the_wire()
    {
        CacheUrlTemplate template = CacheUrlTemplate.Parse("s3://build-assets/br/{package}/{file}-{sha256}");
        var entry = new CacheEntry("lib+x", "a b$?.tar.gz", Sha);

        string key = template.Expand(entry);
        Uri onAws = S3ObjectAddress.For(template.Bucket!, key, new AwsEnvironment(null, "eu-west-1", null));
        Uri compatible = S3ObjectAddress.For(template.Bucket!, key, new AwsEnvironment(null, "us-east-1", new Uri("http://127.0.0.1:9000/")));

        key.ShouldBe($"br/lib+x/a b$?.tar.gz-{Sha}");
        onAws.AbsoluteUri.ShouldBe($"https://build-assets.s3.eu-west-1.amazonaws.com/br/lib%2Bx/a%20b%24%3F.tar.gz-{Sha}");
        compatible.AbsoluteUri.ShouldBe($"http://127.0.0.1:9000/build-assets/br/lib%2Bx/a%20b%24%3F.tar.gz-{Sha}");
        compatible.Query.ShouldBeEmpty();
    }

    [Fact]
    public void A_bucket_with_dots_is_addressed_path_style_on_aws()
    {
        S3ObjectAddress.For("my.bucket", "k", new AwsEnvironment(null, "us-east-2", null)).AbsoluteUri
            .ShouldBe("https://s3.us-east-2.amazonaws.com/my.bucket/k");
    }
}
