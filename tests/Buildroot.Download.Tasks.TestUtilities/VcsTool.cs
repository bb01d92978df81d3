namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// Runs svn, hg, brz, cvs… directly (not through the code under test) to build the
/// repositories the tests fetch from, and to compute reference values. Shared by the
/// in-process backend tests and the end-to-end tests, which make the same kind of upstreams.
/// </summary>
public static class VcsTool
{
    /// <summary>Commit identities and a fixed zone, so that no user configuration is needed.</summary>
    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["BRZ_EMAIL"] = "Test <test@example.invalid>",
        ["HGUSER"] = "Test <test@example.invalid>",
        ["HGPLAIN"] = "1",
        ["TZ"] = "UTC",
    };

    public static string Run(string workingDirectory, string tool, params string[] arguments) =>
        ReferenceTool.Run(tool, arguments, workingDirectory, Environment);
}
