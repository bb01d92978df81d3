using System.Collections.Concurrent;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests;

/// <summary>An <see cref="IBuildLog"/> that keeps what the pipeline said, for assertions.</summary>
internal sealed class RecordingLog : IBuildLog
{
    private readonly ConcurrentQueue<(string Kind, string? Code, string Text)> _entries = new();
    private readonly ConcurrentQueue<SourceLocation> _locations = new();

    public IReadOnlyList<string> Messages => Of("message");

    public IReadOnlyList<string> Details => Of("detail");

    public IReadOnlyList<(string Code, string Text)> Warnings => _entries.Where(e => e.Kind == "warning").Select(e => (e.Code!, e.Text)).ToArray();

    public IReadOnlyList<(string Code, string Text)> Errors => _entries.Where(e => e.Kind == "error").Select(e => (e.Code!, e.Text)).ToArray();

    public string Transcript => string.Join(Environment.NewLine, _entries.Select(e => $"{e.Kind} {e.Code}: {e.Text}"));

    public void Message(string text) => _entries.Enqueue(("message", null, text));

    public void Detail(string text) => _entries.Enqueue(("detail", null, text));

    public void Warning(string code, string text) => _entries.Enqueue(("warning", code, text));

    public void Error(string code, string text) => _entries.Enqueue(("error", code, text));

    /// <summary>The file and line each located warning or error pointed at, in order.</summary>
    public IReadOnlyList<SourceLocation> Locations => _locations.ToArray();

    public void Warning(string code, string text, SourceLocation? location)
    {
        Locate(location);
        Warning(code, text);
    }

    public void Error(string code, string text, SourceLocation? location)
    {
        Locate(location);
        Error(code, text);
    }

    private void Locate(SourceLocation? location)
    {
        if (location is { } where)
        {
            _locations.Enqueue(where);
        }
    }

    private string[] Of(string kind) => _entries.Where(e => e.Kind == kind).Select(e => e.Text).ToArray();
}
