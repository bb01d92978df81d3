using Buildroot.Download.Tasks.Backends;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

public sealed class CvsRootTests
{
    [Theory]
    [InlineData("anoncvs.example.org:/cvsroot/foo", ":pserver:anonymous@anoncvs.example.org:/cvsroot/foo")]
    [InlineData("cvs://anoncvs.example.org:/cvsroot/foo", ":pserver:anonymous@anoncvs.example.org:/cvsroot/foo")]
    public void Root_without_an_access_method_means_anonymous_pserver(string site, string root)
    {
        CvsRoot.FromSite(site).ShouldBe(root);
    }

    [Theory]
    [InlineData("guest@cvs.example.org:/sources/foo", ":pserver:guest@cvs.example.org:/sources/foo")]
    [InlineData("cvs://guest@cvs.example.org:/sources/foo", ":pserver:guest@cvs.example.org:/sources/foo")]
    public void Root_with_a_user_but_no_access_method_is_pserver_as_that_user(string site, string root)
    {
        CvsRoot.FromSite(site).ShouldBe(root);
    }

    [Theory]
    [InlineData(":pserver:guest@cvs.example.org:/cvsroot", ":pserver:guest@cvs.example.org:/cvsroot")]
    [InlineData("cvs://:pserver:guest@cvs.example.org:2401/cvsroot", ":pserver:guest@cvs.example.org:2401/cvsroot")]
    [InlineData(":ext:me@cvs.example.org:/cvsroot", ":ext:me@cvs.example.org:/cvsroot")]
    [InlineData(":local:/srv/cvsroot", ":local:/srv/cvsroot")]
    public void Root_with_an_access_method_is_kept_as_given(string site, string root)
    {
        CvsRoot.FromSite(site).ShouldBe(root);
    }

    [Theory]
    [InlineData("2014-10-20", true)]
    [InlineData("2014-10-20 13:45+01", true)]
    [InlineData("v1_0", false)]
    [InlineData("HEAD", false)]
    public void Changeset_starting_with_a_digit_is_a_date_else_a_tag(string changeset, bool isDate)
    {
        CvsBackend.IsDate(changeset).ShouldBe(isDate);
    }
}
