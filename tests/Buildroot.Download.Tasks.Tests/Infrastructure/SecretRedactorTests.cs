using System.Diagnostics;
using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Infrastructure;

/// <summary>Credentials never reach the log, and hiding them costs time linear in what is logged.</summary>
public sealed class SecretRedactorTests : IDisposable
{
    // Hostile sizes are judged against a bound far above what linear work needs (milliseconds)
    // and far below what the old backtracking pattern took (16 KiB: 4.6 s; 1 MiB: 57 s; 8 MiB: never).
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private readonly TemporaryFolder _folder = new("redact");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("https://user:token@example.org/zlib", "https://***@example.org/zlib")]
    [InlineData("fetch git+ssh://git@host/repo.git and svn+https://me@svn/x", "fetch git+ssh://***@host/repo.git and svn+https://***@svn/x")]
    [InlineData("https://example.org/a@b", "https://example.org/a@b")]
    [InlineData("no url here", "no url here")]
    public void User_info_in_urls_is_hidden_and_nothing_else_changes(string text, string redacted) =>
        SecretRedactor.Redact(text).ShouldBe(redacted);

    [Fact]
    public void Eight_megabytes_without_a_url_are_redacted_in_bounded_time()
    {
        string text = new('a', 8 << 20);

        var clock = Stopwatch.StartNew();
        string redacted = SecretRedactor.Redact(text);

        clock.Elapsed.ShouldBeLessThan(Bound);
        redacted.ShouldBe(text);
    }

    [Fact]
    public void A_one_megabyte_malformed_hash_line_is_refused_in_bounded_time_quoting_a_readable_part_of_it()
    {
        string hashFile = _folder.WriteFile("foo.hash", "sha256" + new string('x', 1 << 20) + "\n");

        var clock = Stopwatch.StartNew();
        var error = Should.Throw<BrdlException>(() => HashExpectations.Load("foo.tar.gz", [hashFile], []));
        string logged = SecretRedactor.Redact(error.Message);

        clock.Elapsed.ShouldBeLessThan(Bound);
        error.Code.ShouldBe(MessageCodes.MalformedHashFile);
        logged.Length.ShouldBeLessThan(1000);
        logged.ShouldContain("more characters");
    }
}
