using Buildroot.Download.Tasks.Infrastructure;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Buildroot.Download.Tasks;

/// <summary>
/// <see cref="IBuildLog"/> on top of MSBuild's logger. Thread-safe: MSBuild's
/// <see cref="TaskLoggingHelper"/> may be called from the parallel package downloads.
/// Every message goes through <see cref="SecretRedactor"/> first.
/// </summary>
internal sealed class MSBuildLog : IBuildLog
{
    private readonly TaskLoggingHelper _log;
    private readonly object _gate = new();

    public MSBuildLog(TaskLoggingHelper log)
    {
        _log = log;
    }

    public void Message(string text) => Write(() => _log.LogMessage(MessageImportance.High, Clean(text)));

    public void Detail(string text) => Write(() => _log.LogMessage(MessageImportance.Normal, Clean(text)));

    public void Warning(string code, string text) => Warning(code, text, null);

    public void Error(string code, string text) => Error(code, text, null);

    // Without a location MSBuild names the task's own .targets file in the package cache: no place
    // to fix anything, so every message about an input names that input when it is known.
    public void Warning(string code, string text, SourceLocation? location) =>
        Write(() => _log.LogWarning(null, code, null, location?.File, location?.Line ?? 0, 0, 0, 0, QuotedText.OneLine(Clean(text))));

    public void Error(string code, string text, SourceLocation? location) =>
        Write(() => _log.LogError(null, code, null, location?.File, location?.Line ?? 0, 0, 0, 0, QuotedText.OneLine(Clean(text))));

    // MSBuild reads "{0}" in a message as a format item only when arguments are passed; none are.
    private static string Clean(string text) => SecretRedactor.Redact(text);

    private void Write(Action write)
    {
        lock (_gate)
        {
            write();
        }
    }
}
