using System.Globalization;
using System.Text;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>What a holder of one of our locks wrote into the lock file: who, since when, for what.</summary>
/// <param name="ProcessId">The process that holds the lock.</param>
/// <param name="Since">When it took it.</param>
/// <param name="Purpose">What it does under it ("downloading zlib").</param>
internal sealed record LockRecord(int ProcessId, DateTimeOffset Since, string Purpose)
{
    private const string Header = "# Held by a dotnet build (Buildroot.Download.Tasks); Buildroot's flock ignores this text.";

    /// <summary>
    /// Writes our record into the lock file we hold. The lock file is the one Buildroot's
    /// <c>flock(1)</c> takes, which never reads it, so its content is ours to use. Best effort:
    /// a record that cannot be written only makes the waiters' messages less precise.
    /// </summary>
    public static void Write(FileStream held, string purpose, DateTimeOffset since)
    {
        string text = string.Join(
            '\n',
            Header,
            $"pid {Environment.ProcessId}",
            $"since {since.ToString("O", CultureInfo.InvariantCulture)}",
            $"purpose {purpose.ReplaceLineEndings(" ")}",
            string.Empty);
        try
        {
            held.SetLength(0);
            held.Write(Encoding.UTF8.GetBytes(text));
            held.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A full disk, say: the lock itself is held all the same.
        }
    }

    /// <summary>Empties the lock file before it is released. Best effort, as <see cref="Write"/>.</summary>
    public static void Clear(FileStream held)
    {
        try
        {
            held.SetLength(0);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Released all the same; a stale record is recognised by its process id.
        }
    }

    /// <summary>
    /// The record in the lock file, or null when there is none (a Buildroot <c>flock</c> holder, a
    /// released lock) or it cannot be read. Read without taking any lock: .NET's own file APIs
    /// would take a shared <c>flock</c>, which the holder's exclusive one refuses.
    /// </summary>
    public static LockRecord? TryRead(string lockFilePath)
    {
        if (OperatingSystem.IsWindows() || ReadWithoutLocking(lockFilePath) is not { } lines)
        {
            return null;
        }

        int? processId = null;
        DateTimeOffset? since = null;
        string? purpose = null;
        foreach (string line in lines)
        {
            if (line.StartsWith("pid ", StringComparison.Ordinal) && int.TryParse(line[4..], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                processId = pid;
            }
            else if (line.StartsWith("since ", StringComparison.Ordinal) && DateTimeOffset.TryParse(line[6..], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset time))
            {
                since = time;
            }
            else if (line.StartsWith("purpose ", StringComparison.Ordinal))
            {
                purpose = line[8..];
            }
        }

        return processId is { } id && since is { } when && purpose is not null ? new LockRecord(id, when, purpose) : null;
    }

    /// <summary>The lines of the lock file, read (on Linux) straight through the C library, which takes no lock; null when it cannot be read.</summary>
    private static string[]? ReadWithoutLocking(string path)
    {
        try
        {
            return SmallTextFile.ReadLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }
}
