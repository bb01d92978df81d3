using System.Security.Cryptography;
using System.Text;
using Buildroot.Download.Tasks.Cache.S3;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>
/// The signer against the worked examples AWS publishes: each expected value (canonical request,
/// string to sign, signature) is copied from AWS, never from our output.
/// <list type="bullet">
/// <item>Amazon S3 API Reference, "Signature Calculations for the Authorization Header: Transferring
/// Payload in a Single Chunk (AWS Signature Version 4)", examples "GET Object" and "PUT Object"
/// (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).</item>
/// <item>AWS's Signature Version 4 test suite (as in github.com/awslabs/aws-c-auth,
/// tests/aws-signing-test-suite/v4): get-vanilla, get-vanilla-query-order-key-case,
/// get-header-value-trim and get-vanilla-with-session-token.</item>
/// </list>
/// </summary>
public sealed class AwsSigV4SignerTests
{
    // The S3 examples' credentials and time.
    private static readonly AwsCredentials S3Example = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset S3ExampleTime = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    // The test suite's credentials and time (context.json).
    private static readonly AwsCredentials Suite = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public void S3_example_GET_Object_gives_the_published_canonical_request_string_to_sign_and_signature()
    {
        AwsSignature signature = AwsSigV4Signer.Sign(
            "GET",
            new Uri("https://examplebucket.s3.amazonaws.com/test.txt"),
            [new("Range", "bytes=0-9"), new("x-amz-content-sha256", AwsSigV4Signer.EmptyPayloadSha256)],
            AwsSigV4Signer.EmptyPayloadSha256,
            S3ExampleTime,
            "us-east-1",
            "s3",
            S3Example);

        signature.CanonicalRequest.ShouldBe(
            "GET\n" +
            "/test.txt\n" +
            "\n" +
            "host:examplebucket.s3.amazonaws.com\n" +
            "range:bytes=0-9\n" +
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
            "x-amz-date:20130524T000000Z\n" +
            "\n" +
            "host;range;x-amz-content-sha256;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        signature.StringToSign.ShouldBe(
            "AWS4-HMAC-SHA256\n" +
            "20130524T000000Z\n" +
            "20130524/us-east-1/s3/aws4_request\n" +
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        signature.Signature.ShouldBe("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        signature.Authorization.ShouldBe(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    [Fact]
    public void S3_example_PUT_Object_signs_the_payload_hash_and_the_key_encoded_once()
    {
        // The object key "test$file.text" goes through the same encoding as a cache entry's key.
        var aws = new AwsEnvironment(S3Example, "us-east-1", new Uri("https://examplebucket.s3.amazonaws.com"));
        Uri uri = new($"https://examplebucket.s3.amazonaws.com/{S3ObjectAddress.EncodeKey("test$file.text")}");
        string payloadHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("Welcome to Amazon S3."))).ToLowerInvariant();
        payloadHash.ShouldBe("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");

        AwsSignature signature = AwsSigV4Signer.Sign(
            "PUT",
            uri,
            [new("Date", "Fri, 24 May 2013 00:00:00 GMT"), new("x-amz-storage-class", "REDUCED_REDUNDANCY"), new("x-amz-content-sha256", payloadHash)],
            payloadHash,
            S3ExampleTime,
            aws.Region,
            "s3",
            S3Example);

        signature.CanonicalRequest.ShouldBe(
            "PUT\n" +
            "/test%24file.text\n" +
            "\n" +
            "date:Fri, 24 May 2013 00:00:00 GMT\n" +
            "host:examplebucket.s3.amazonaws.com\n" +
            "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n" +
            "x-amz-date:20130524T000000Z\n" +
            "x-amz-storage-class:REDUCED_REDUNDANCY\n" +
            "\n" +
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n" +
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
        signature.StringToSign.ShouldBe(
            "AWS4-HMAC-SHA256\n" +
            "20130524T000000Z\n" +
            "20130524/us-east-1/s3/aws4_request\n" +
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
        signature.Signature.ShouldBe("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    }

    [Fact]
    public void Test_suite_get_vanilla()
    {
        AwsSignature signature = SignSuite("https://example.amazonaws.com/", []);

        signature.CanonicalRequest.ShouldBe(
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        signature.StringToSign.ShouldBe(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
        signature.Authorization.ShouldBe(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Fact]
    public void Test_suite_get_vanilla_query_order_key_case_sorts_the_query()
    {
        AwsSignature signature = SignSuite("https://example.amazonaws.com/?Param2=value2&Param1=value1", []);

        signature.CanonicalRequest.Split('\n')[2].ShouldBe("Param1=value1&Param2=value2");
        signature.Signature.ShouldBe("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    [Fact]
    public void Test_suite_get_header_value_trim_trims_values_and_collapses_spaces()
    {
        AwsSignature signature = SignSuite("https://example.amazonaws.com/", [new("My-Header1", " value1"), new("My-Header2", " \"a   b   c\"")]);

        signature.SignedHeaders.ShouldBe("host;my-header1;my-header2;x-amz-date");
        signature.Signature.ShouldBe("acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
    }

    [Fact]
    public void Test_suite_get_vanilla_with_session_token_signs_the_token()
    {
        AwsCredentials temporary = Suite with { SessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267" };

        AwsSignature signature = AwsSigV4Signer.Sign("GET", new Uri("https://example.amazonaws.com/"), [], AwsSigV4Signer.EmptyPayloadSha256, SuiteTime, "us-east-1", "service", temporary);

        signature.Authorization.ShouldBe(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, " +
            "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    }

    [Fact]
    public void A_port_other_than_the_default_is_part_of_the_signed_host()
    {
        AwsSignature signature = SignSuite("http://127.0.0.1:4569/", []);

        signature.CanonicalRequest.ShouldContain("\nhost:127.0.0.1:4569\n");
    }

    [Fact]
    public void The_secret_never_appears_in_the_signature_parts()
    {
        AwsSignature signature = SignSuite("https://example.amazonaws.com/", []);

        (signature.CanonicalRequest + signature.StringToSign + signature.Authorization).ShouldNotContain(Suite.SecretAccessKey);
        Suite.ToString().ShouldNotContain(Suite.SecretAccessKey);
    }

    private static AwsSignature SignSuite(string url, KeyValuePair<string, string>[] headers) =>
        AwsSigV4Signer.Sign("GET", new Uri(url), headers, AwsSigV4Signer.EmptyPayloadSha256, SuiteTime, "us-east-1", "service", Suite);
}
