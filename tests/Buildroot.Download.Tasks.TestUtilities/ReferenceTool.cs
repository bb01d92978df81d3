using System.Diagnostics;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// Runs a real tool directly (never through the code under test) for a test's arrange or
/// assert step: to build the repositories and archives a test fetches, or to compute reference
/// values. A failure fails the test with what the tool said.
/// </summary>
public static class ReferenceTool
{
    public static string Run(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(program)
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

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} (in {workingDirectory}) failed with exit code {process.ExitCode}:\n{error.Result}\n{output}");
        }

        return output;
    }
}
