using System.Diagnostics;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

/// <summary>
/// Runs svn, hg, brz, cvs… directly (not through the code under test) to build the
/// repositories the tests fetch from, and to compute reference values.
/// </summary>
internal static class VcsTool
{
    /// <summary>Commit identities and a fixed zone, so that no user configuration is needed.</summary>
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["BRZ_EMAIL"] = "Test <test@example.invalid>",
        ["HGUSER"] = "Test <test@example.invalid>",
        ["HGPLAIN"] = "1",
        ["TZ"] = "UTC",
    };

    public static string Run(string workingDirectory, string tool, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in Environment)
        {
            startInfo.Environment[name] = value;
        }

        using Process process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{tool} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {error.Result}");
        }

        return output;
    }
}
