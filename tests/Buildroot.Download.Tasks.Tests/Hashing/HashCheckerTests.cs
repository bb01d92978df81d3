using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Hashing;

public sealed class HashCheckerTests : IDisposable
{
    private static readonly string[] AllAlgorithms = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"];

    public static TheoryData<string> EveryAlgorithm => new(AllAlgorithms);

    private readonly TemporaryFolder _folder = new("hashcheck");
    private readonly string _file;

    public HashCheckerTests()
    {
        _file = ReferenceDigests.WriteSampleFile(_folder.Combine("foo-1.0.tar.gz"));
    }

    public void Dispose() => _folder.Dispose();

    [RequiresToolsTheory("md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum")]
    [MemberData(nameof(EveryAlgorithm))]
    public async Task A_file_matching_its_listed_hash_is_good(string algorithm)
    {
        string reference = ReferenceDigests.Of(algorithm, _file);
        string hashFile = _folder.WriteFile("foo.hash", $"{algorithm}  {reference}  foo-1.0.tar.gz\n");

        HashCheckResult result = await CheckAsync([hashFile]);

        result.Outcome.ShouldBe(HashCheckOutcome.Good);
        result.Verified.ShouldHaveSingleItem().Algorithm.ShouldBe(algorithm);
    }

    [RequiresToolsTheory("md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum")]
    [MemberData(nameof(EveryAlgorithm))]
    public async Task A_wrong_hash_is_a_mismatch_reporting_what_was_computed(string algorithm)
    {
        string reference = ReferenceDigests.Of(algorithm, _file);
        string wrong = new string('0', reference.Length);
        string hashFile = _folder.WriteFile("foo.hash", $"{algorithm} {wrong} foo-1.0.tar.gz\n");

        HashCheckResult result = await CheckAsync([hashFile]);

        result.Outcome.ShouldBe(HashCheckOutcome.Mismatch);
        result.Mismatches.ShouldHaveSingleItem().ActualHex.ShouldBe(reference);
    }

    [RequiresToolsFact("sha256sum", "sha512sum")]
    public async Task Every_listed_hash_in_every_hash_file_must_match_and_every_mismatch_is_reported()
    {
        string sha256 = ReferenceDigests.Of("sha256", _file);
        string sha512 = ReferenceDigests.Of("sha512", _file);
        string good = _folder.WriteFile("a/foo.hash", $"sha256 {sha256} foo-1.0.tar.gz\nsha512 {sha512} foo-1.0.tar.gz\n");
        string bad = _folder.WriteFile("b/foo.hash", $"sha256 {new string('a', 64)} foo-1.0.tar.gz\nsha512 {new string('b', 128)} foo-1.0.tar.gz\n");

        HashCheckResult result = await CheckAsync([good, bad]);

        result.Outcome.ShouldBe(HashCheckOutcome.Mismatch);
        result.Verified.Select(entry => entry.Origin).ShouldBe([$"{good}:1", $"{good}:2"]);
        result.Mismatches.Select(mismatch => (mismatch.Expected.Origin, mismatch.ActualHex))
            .ShouldBe([($"{bad}:1", sha256), ($"{bad}:2", sha512)]);
    }

    [RequiresToolsFact("sha256sum")]
    public async Task Hex_digits_match_whatever_their_case()
    {
        string upper = ReferenceDigests.Of("sha256", _file).ToUpperInvariant();
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {upper} foo-1.0.tar.gz\n");

        (await CheckAsync([hashFile])).Outcome.ShouldBe(HashCheckOutcome.Good);
    }

    [Fact]
    public async Task Without_any_hash_file_the_outcome_is_no_hash_file()
    {
        (await CheckAsync([])).Outcome.ShouldBe(HashCheckOutcome.NoHashFile);
    }

    [Fact]
    public async Task A_hash_file_that_does_not_list_the_file_means_not_listed()
    {
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {new string('1', 64)} foo-0.9.tar.gz\n");

        (await CheckAsync([hashFile])).Outcome.ShouldBe(HashCheckOutcome.NotListed);
    }

    [Fact]
    public async Task An_unknown_algorithm_for_the_file_wins_over_a_mismatch()
    {
        string hashFile = _folder.WriteFile("foo.hash", $"sha256 {new string('1', 64)} foo-1.0.tar.gz\nblake3 abcdef foo-1.0.tar.gz\n");

        (await CheckAsync([hashFile])).Outcome.ShouldBe(HashCheckOutcome.UnknownAlgorithm);
    }

    [Fact]
    public async Task Checking_a_file_that_does_not_exist_is_an_error()
    {
        HashExpectations expected = HashExpectations.Load("gone.tar.gz", [], TestHashes.Inline("gone.tar.gz", $"sha256:{new string('1', 64)}"));

        var error = await Should.ThrowAsync<BrdlException>(() => HashChecker.CheckAsync(_folder.Combine("gone.tar.gz"), expected, null, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.FileToVerifyMissing);
    }

    [RequiresToolsFact("md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum")]
    public async Task The_file_is_read_once_for_all_its_hashes()
    {
        string hashFile = _folder.WriteFile("foo.hash", string.Concat(AllAlgorithms.Select(a => $"{a} {ReferenceDigests.Of(a, _file)} foo-1.0.tar.gz\n")));
        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [hashFile], []);
        var opener = new CountingOpener();

        HashCheckResult result = await HashChecker.CheckAsync(_file, expected, null, opener.Open, CancellationToken.None);

        result.Outcome.ShouldBe(HashCheckOutcome.Good);
        result.Verified.Length.ShouldBe(6);
        opener.Opens.ShouldBe(1);
        opener.BytesRead.ShouldBe(new FileInfo(_file).Length);
    }

    [RequiresToolsFact("sha256sum", "sha512sum")]
    public async Task Digests_computed_during_the_download_spare_reading_the_file_again()
    {
        string sha256 = ReferenceDigests.Of("sha256", _file);
        string sha512 = ReferenceDigests.Of("sha512", _file);
        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [], TestHashes.Inline("foo-1.0.tar.gz", $"sha256:{sha256}", $"sha512:{sha512}"));
        var opener = new CountingOpener();
        var known = new Dictionary<string, string> { ["sha256"] = sha256.ToUpperInvariant(), ["sha512"] = sha512 };

        HashCheckResult result = await HashChecker.CheckAsync(_file, expected, known, opener.Open, CancellationToken.None);

        result.Outcome.ShouldBe(HashCheckOutcome.Good);
        opener.Opens.ShouldBe(0);
    }

    [RequiresToolsFact("sha256sum", "sha512sum")]
    public async Task Digests_known_for_only_some_algorithms_lead_to_one_read_of_the_file()
    {
        string sha256 = ReferenceDigests.Of("sha256", _file);
        HashExpectations expected = HashExpectations.Load("foo-1.0.tar.gz", [], TestHashes.Inline("foo-1.0.tar.gz", $"sha256:{sha256}", $"sha512:{ReferenceDigests.Of("sha512", _file)}"));
        var opener = new CountingOpener();

        HashCheckResult result = await HashChecker.CheckAsync(_file, expected, new Dictionary<string, string> { ["sha256"] = sha256 }, opener.Open, CancellationToken.None);

        result.Outcome.ShouldBe(HashCheckOutcome.Good);
        opener.Opens.ShouldBe(1);
    }

    private Task<HashCheckResult> CheckAsync(string[] hashFiles) =>
        HashChecker.CheckAsync(_file, HashExpectations.Load("foo-1.0.tar.gz", hashFiles, []), null, CancellationToken.None);

    private sealed class CountingOpener
    {
        public int Opens { get; private set; }

        public long BytesRead => _streams.Sum(stream => stream.BytesRead);

        private readonly List<CountingStream> _streams = [];

        public Stream Open(string path)
        {
            Opens++;
            var stream = new CountingStream(File.OpenRead(path));
            _streams.Add(stream);
            return stream;
        }
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
