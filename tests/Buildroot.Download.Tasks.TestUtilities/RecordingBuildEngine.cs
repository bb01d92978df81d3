using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Build.Framework;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A tiny <see cref="IBuildEngine4"/> for running a task in-process: it records every
/// error, warning and message, with its code, so tests can assert what a user would see.
/// </summary>
public sealed class RecordingBuildEngine : IBuildEngine4
{
    private readonly ConcurrentDictionary<object, object> _taskObjects = new();
    private readonly ConcurrentQueue<BuildErrorEventArgs> _errors = new();
    private readonly ConcurrentQueue<BuildWarningEventArgs> _warnings = new();
    private readonly ConcurrentQueue<BuildMessageEventArgs> _messages = new();

    public IReadOnlyList<BuildErrorEventArgs> Errors => _errors.ToArray();

    public IReadOnlyList<BuildWarningEventArgs> Warnings => _warnings.ToArray();

    public IReadOnlyList<BuildMessageEventArgs> Messages => _messages.ToArray();

    public IEnumerable<string> ErrorCodes => Errors.Select(e => e.Code);

    /// <summary>
    /// Called with each event as it is logged, in the form of <see cref="Transcript"/>'s lines: a
    /// process of its own (the vendoring probe) prints them as they come, so a test can see it wait.
    /// </summary>
    public Action<string>? Echo { get; init; }

    public IEnumerable<string> WarningCodes => Warnings.Select(w => w.Code);

    /// <summary>Everything logged, one line per event, for assertion messages.</summary>
    public string Transcript => string.Join(
        Environment.NewLine,
        Errors.Select(e => $"error {e.Code}: {e.Message}")
            .Concat(Warnings.Select(w => $"warning {w.Code}: {w.Message}"))
            .Concat(Messages.Select(m => $"message: {m.Message}")));

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.proj";

    public bool IsRunningMultipleNodes => false;

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        _errors.Enqueue(e);
        Echo?.Invoke($"error {e.Code}: {e.Message}");
    }

    public void LogWarningEvent(BuildWarningEventArgs e)
    {
        _warnings.Enqueue(e);
        Echo?.Invoke($"warning {e.Code}: {e.Message}");
    }

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        _messages.Enqueue(e);
        Echo?.Invoke($"message: {e.Message}");
    }

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) => throw new NotSupportedException();

    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => throw new NotSupportedException();

    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => throw new NotSupportedException();

    public void Yield()
    {
    }

    public void Reacquire()
    {
    }

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollection) => _taskObjects[key] = obj;

    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _taskObjects.TryGetValue(key, out object? value) ? value : null;

    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => _taskObjects.TryRemove(key, out object? value) ? value : null;
}
