using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Benchmarks;

/// <summary>A log that prints nothing (printing is not what is measured) but remembers an error.</summary>
internal sealed class SilentLog : IBuildLog
{
    public bool Failed { get; private set; }

    public void Message(string text)
    {
    }

    public void Detail(string text)
    {
    }

    public void Warning(string code, string text)
    {
    }

    public void Error(string code, string text) => Failed = true;
}
