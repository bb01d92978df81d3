using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>
/// A site or a version that starts with '-' would be read by svn, hg, bzr or cvs as an
/// option (e.g. hg's <c>--config=hooks…</c> runs a command): every backend refuses it before
/// running anything.
/// </summary>
public sealed class VcsRefusalTests : IDisposable
{
    private readonly TemporaryFolder _folder = new("vcs-refusal");
    private readonly RecordingLog _log = new();

    public static TheoryData<string, string, string> OptionLikeValues => new()
    {
        { "svn", "--config-option=config:tunnels:ssh=touch /tmp/owned", "42" },
        { "svn", "svn://example.invalid/repo/trunk", "-r1" },
        { "hg", "--config=hooks.pre-clone=touch /tmp/owned", "v1.0" },
        { "hg", "https://example.invalid/hg/foo", "--rev=0" },
        { "bzr", "-Dno-plugins", "tag:v1" },
        { "bzr", "lp:foo", "-1" },
        { "cvs", "-ecommand", "v1_0" },
        { "cvs", "cvs.example.invalid:/cvsroot", "-kb" },
    };

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(OptionLikeValues))]
    public async Task Values_that_look_like_options_are_refused_before_any_tool_runs(string method, string uri, string changeset)
    {
        BackendRequest request = VcsRequests.Create(_folder, uri, changeset, _log) with
        {
            // A tool that would prove it ran; the refusal must come first.
            Tools = new ToolPaths { Svn = "false", Hg = "false", Bzr = "false", Cvs = "false", Tar = "false" },
        };

        var error = await Should.ThrowAsync<BrdlException>(() => Backend(method).FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ValueLooksLikeOption);
        error.Message.ShouldContain(uri.StartsWith('-') ? uri : changeset);
        _log.Details.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("svn")]
    [InlineData("hg")]
    [InlineData("bzr")]
    [InlineData("cvs")]
    public async Task A_refused_site_keeps_its_credentials_out_of_the_message(string method)
    {
        BackendRequest request = VcsRequests.Create(_folder, "--https://builder:s3cret-token@example.invalid/repo", "v1", _log);

        var error = await Should.ThrowAsync<BrdlException>(() => Backend(method).FetchAsync(request, CancellationToken.None));

        error.Code.ShouldBe(MessageCodes.ValueLooksLikeOption);
        error.Message.ShouldNotContain("s3cret-token");
        error.Message.ShouldContain("example.invalid/repo");
    }

    private static IDownloadBackend Backend(string method) => method switch
    {
        "svn" => new SvnBackend(),
        "hg" => new HgBackend(),
        "bzr" => new BzrBackend(),
        "cvs" => new CvsBackend(),
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };
}
