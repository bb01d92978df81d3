using Buildroot.Download.Tasks.Download;

namespace Buildroot.Download.Tasks.Tests.Download;

/// <summary>The table of download methods: what a site's scheme implies, and how mirrors are fetched.</summary>
public sealed class DownloadMethodsTests
{
    [Theory]
    [InlineData("https://zlib.net", "wget")]
    [InlineData("HTTP://zlib.net", "wget")]
    [InlineData("ftp://ftp.gnu.org/gnu", "curl")]
    [InlineData("smb://server/share", "curl")]
    [InlineData("git://git.example.org/foo.git", "git")]
    [InlineData("svn://svn.example.org/trunk", "svn")]
    [InlineData("file:///srv/sources", "file")]
    [InlineData("sftp://host/path", "sftp")]
    [InlineData("ftp.altlinux.org/pub/people/ldv/utempter", "wget")]
    public void A_site_without_a_method_takes_the_method_its_scheme_names(string site, string method) =>
        DownloadMethods.FromSite(site)!.Name.ShouldBe(method);

    [Theory]
    [InlineData("gopher://example.org/x")]
    [InlineData("/srv/sources")]
    [InlineData("git@host:repo.git")]
    public void A_site_with_an_unknown_or_no_scheme_names_no_method(string site) =>
        DownloadMethods.FromSite(site).ShouldBeNull();

    [Theory]
    [InlineData("https://mirror.example.org/zlib", "wget")]
    [InlineData("ftp://mirror.example.org/zlib", "curl")]
    [InlineData("file:///srv/mirror", "file")]
    [InlineData("scp://host:/srv/mirror", "scp")]
    [InlineData("git://mirror.example.org/zlib", "wget")]
    public void A_mirror_is_fetched_as_a_plain_file_by_the_method_of_its_scheme(string mirror, string method) =>
        DownloadMethods.ForPlainFile(mirror).Name.ShouldBe(method);

    [Theory]
    [InlineData("hg")]
    [InlineData("bzr")]
    [InlineData("cvs")]
    public void Methods_whose_archives_are_not_reproducible_are_not_hash_checked(string method) =>
        DownloadMethods.Get(method).HashesCanBeChecked.ShouldBeFalse();

    [Fact]
    public void Only_local_has_nothing_to_download() =>
        DownloadMethods.All.Where(method => !method.Downloads).ShouldHaveSingleItem().ShouldBe(DownloadMethods.Local);
}
