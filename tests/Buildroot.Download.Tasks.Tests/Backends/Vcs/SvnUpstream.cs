using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>
/// Subversion repositories made once for the tests that only read them: <c>repos/main</c> and
/// <c>repos/ext</c> (the target of an external), under one root that <c>svnserve -r</c> can serve.
/// </summary>
/// <remarks>
/// main: r1 imports trunk (README "one", k.txt with <c>$Id$</c>, eol.txt); r2 changes README to
/// "two", sets <c>svn:keywords Id</c> on k.txt, <c>svn:eol-style native</c> on eol.txt and an
/// <c>svn:externals</c> on trunk (<c>vendor</c> from ext); r3 adds <c>/branches</c>, leaving trunk
/// alone. Revision dates are set to known values with microseconds, as svn stores them.
/// </remarks>
public sealed class SvnUpstream : IDisposable
{
    public const string FirstRevisionDate = "2020-01-02T03:04:05.678901Z";
    public const string SecondRevisionDate = "2021-06-07T08:09:10.999999Z";
    public const string ThirdRevisionDate = "2022-12-31T23:59:59.000001Z";

    private readonly TemporaryFolder _folder = new("svn-upstream");

    public SvnUpstream()
    {
        RepositoriesRoot = _folder.Combine("repos");
        Trunk = new Uri(_folder.Combine("repos", "main")).AbsoluteUri + "/trunk";
        if (ToolAvailability.Find("svn") is null || ToolAvailability.Find("svnadmin") is null)
        {
            return; // The tests skip themselves.
        }

        string main = _folder.Combine("repos", "main");
        string ext = _folder.Combine("repos", "ext");
        Directory.CreateDirectory(RepositoriesRoot);
        VcsTool.Run(_folder.Path, "svnadmin", "create", main);
        VcsTool.Run(_folder.Path, "svnadmin", "create", ext);

        _folder.WriteFile("ext-import/lib/x.txt", "from the external\n");
        VcsTool.Run(_folder.Path, "svn", "import", "-q", "-m", "lib", _folder.Combine("ext-import"), new Uri(ext).AbsoluteUri);

        _folder.WriteFile("import/README", "one\n");
        _folder.WriteFile("import/k.txt", "id: $Id$\n");
        _folder.WriteFile("import/eol.txt", "line\n");
        VcsTool.Run(_folder.Path, "svn", "import", "-q", "-m", "first", _folder.Combine("import"), Trunk);

        string work = _folder.Combine("work");
        VcsTool.Run(_folder.Path, "svn", "checkout", "-q", Trunk, work);
        File.WriteAllText(Path.Combine(work, "README"), "two\n");
        VcsTool.Run(work, "svn", "propset", "-q", "svn:keywords", "Id", "k.txt");
        VcsTool.Run(work, "svn", "propset", "-q", "svn:eol-style", "native", "eol.txt");
        VcsTool.Run(work, "svn", "propset", "-q", "svn:externals", new Uri(ext).AbsoluteUri + "/lib vendor", ".");
        VcsTool.Run(work, "svn", "commit", "-q", "-m", "second");
        VcsTool.Run(work, "svn", "mkdir", "-q", "-m", "third", new Uri(main).AbsoluteUri + "/branches");

        VcsTool.Run(_folder.Path, "svnadmin", "setrevprop", main, "-r", "1", "svn:date", WriteFile("d1", FirstRevisionDate));
        VcsTool.Run(_folder.Path, "svnadmin", "setrevprop", main, "-r", "2", "svn:date", WriteFile("d2", SecondRevisionDate));
        VcsTool.Run(_folder.Path, "svnadmin", "setrevprop", main, "-r", "3", "svn:date", WriteFile("d3", ThirdRevisionDate));
    }

    /// <summary>The folder holding both repositories: what <c>svnserve -r</c> serves.</summary>
    public string RepositoriesRoot { get; }

    /// <summary>The <c>file://</c> URL of main's trunk.</summary>
    public string Trunk { get; }

    public void Dispose() => _folder.Dispose();

    private string WriteFile(string name, string content) => _folder.WriteFile(name, content);
}
