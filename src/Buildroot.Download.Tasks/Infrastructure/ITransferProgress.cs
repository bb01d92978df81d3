namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// What one transfer tells whoever reports on it (the download's <c>TransferProgress</c>), as the
/// work goes: the built-in http client says when bytes start to arrive and how many came, the
/// runner of external tools says which tool started. Calls are cheap and never throw; the
/// reporter decides what, and how often, to print.
/// </summary>
internal interface ITransferProgress
{
    /// <summary>Nobody listens (a cache lookup, a test).</summary>
    public static ITransferProgress None { get; } = new Ignored();

    /// <summary>Bytes start to arrive; a new try starts again from zero.</summary>
    /// <param name="totalBytes">The size, when the server announced it.</param>
    void Receiving(long? totalBytes);

    /// <summary>More bytes arrived (and were written).</summary>
    void Received(long bytes);

    /// <summary>A tool started: what runs, in a few words ("git fetch", "svn export", "cargo vendor").</summary>
    void ToolStarted(string what);

    private sealed class Ignored : ITransferProgress
    {
        public void Receiving(long? totalBytes)
        {
        }

        public void Received(long bytes)
        {
        }

        public void ToolStarted(string what)
        {
        }
    }
}
