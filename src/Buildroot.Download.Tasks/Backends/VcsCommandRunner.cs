using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Runs a version-control command whose failure may mean that the changeset does not exist.
/// That case gets its own code (<see cref="MessageCodes.NoSuchChangeset"/>), because the fix
/// is in the package's version, not in the tool or the network; any other failure is
/// <see cref="MessageCodes.ToolFailed"/> with what the tool said.
/// </summary>
internal static class VcsCommandRunner
{
    public static async Task<CommandResult> RunAsync(
        ProcessRunner runner,
        ExternalCommand command,
        Regex missingChangeset,
        string changesetDescription,
        CancellationToken cancellationToken)
    {
        CommandResult result = await runner
            .RunAsync(command.WithoutThrowingOnFailure(), cancellationToken)
            .ConfigureAwait(false);
        if (result.Succeeded)
        {
            return result;
        }

        if (missingChangeset.Match(result.StandardError) is { Success: true } match)
        {
            throw new BrdlException(
                FailureScope.WrongContent,
                MessageCodes.NoSuchChangeset,
                $"{changesetDescription} does not exist: '{command}' said: {SecretRedactor.Redact(LineAround(result.StandardError, match.Index))}");
        }

        throw new BrdlException(
            FailureScope.Attempt,
            MessageCodes.ToolFailed,
            $"'{command}' failed with exit code {result.ExitCode}: {SecretRedactor.Redact(ProcessRunner.LastLines(result.StandardError))}");
    }

    // A tool may bury the telling line in a traceback; quote just that line.
    private static string LineAround(string text, int index)
    {
        int start = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        int end = text.IndexOf('\n', index);
        return text[start..(end < 0 ? text.Length : end)].Trim();
    }
}
