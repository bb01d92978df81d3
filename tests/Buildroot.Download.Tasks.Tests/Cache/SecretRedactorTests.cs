using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>Signed query strings (SAS tokens, presigned URLs) are credentials too.</summary>
public sealed class SecretRedactorTests
{
    [Fact]
    public void An_azure_sas_signature_is_hidden_and_the_rest_of_the_url_kept()
    {
        string redacted = SecretRedactor.Redact(
            "GET https://acct.blob.core.windows.net/c/abc?sv=2022-11-02&se=2026-12-06T00%3A00%3A00Z&sr=c&sp=r&sig=AbC%2Bdef%3D failed");

        redacted.ShouldBe("GET https://acct.blob.core.windows.net/c/abc?sv=2022-11-02&se=2026-12-06T00%3A00%3A00Z&sr=c&sp=r&sig=*** failed");
    }

    [Fact]
    public void Presigned_s3_parameters_are_hidden()
    {
        string redacted = SecretRedactor.Redact(
            "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=TOKEN123&X-Amz-Signature=0123abcd");

        redacted.ShouldNotContain("AKIAEXAMPLE");
        redacted.ShouldNotContain("TOKEN123");
        redacted.ShouldNotContain("0123abcd");
        redacted.ShouldContain("X-Amz-Algorithm=AWS4-HMAC-SHA256");
    }

    [Fact]
    public void User_info_is_still_hidden()
    {
        SecretRedactor.Redact("https://user:p4ss@host/x?token=t0k").ShouldBe("https://***@host/x?token=***");
    }

    [Fact]
    public void Ordinary_query_parameters_are_kept()
    {
        SecretRedactor.Redact("https://host/get?file=zlib.tar.gz&version=1.3").ShouldBe("https://host/get?file=zlib.tar.gz&version=1.3");
    }
}
