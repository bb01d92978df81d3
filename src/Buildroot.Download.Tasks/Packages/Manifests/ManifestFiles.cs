using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// What reading a build's manifests needs from the disk: their texts, and whether the hash files
/// beside them exist. Thousands of small files are mostly waiting on the kernel (more so on a busy
/// machine), so they are read ahead of make's sequential reading, in the order it needs them, on
/// one or two threads of the pool. The reading never waits for them: a text not there yet it reads
/// itself (a thread that was descheduled on a busy machine would otherwise hold it up); a file the
/// reading ahead finds read already costs it nothing.
/// </summary>
internal sealed class ManifestFiles : IDisposable
{
    private const int LargestPooledFile = 1024 * 1024;

    private static readonly object Unreadable = new();

    private readonly IReadOnlyList<string> _paths;
    private readonly Dictionary<string, int> _indexOf = new(StringComparer.Ordinal);

    /// <summary>Not read yet (null), the text, or <see cref="Unreadable"/>.</summary>
    private readonly object?[] _texts;
    private readonly ConcurrentDictionary<string, bool> _exists = new(StringComparer.Ordinal);

    /// <summary>The names of the folders inside each manifest's folder (a version's own hash file lives in one).</summary>
    private readonly ConcurrentDictionary<string, HashSet<string>> _subfolders = new(StringComparer.Ordinal);
    private int _next = -1;
    private volatile bool _stopped;

    /// <param name="paths">Full paths, in the order they will be asked for.</param>
    public ManifestFiles(IReadOnlyList<string> paths)
    {
        _paths = paths;
        _texts = new object?[paths.Count];
        for (int i = 0; i < paths.Count; i++)
        {
            _indexOf[paths[i]] = i;
        }

        // Pool threads: a thread of our own would make the reading wait until the kernel starts it.
        int readers = Math.Clamp(Environment.ProcessorCount / 2, 1, 2);
        for (int i = 0; i < readers; i++)
        {
            _ = Task.Run(ReadAhead);
        }
    }

    /// <summary>The text of <paramref name="path"/> (a full path), or null when it does not exist or cannot be read.</summary>
    public string? Text(string path)
    {
        if (!_indexOf.TryGetValue(path, out int index))
        {
            return TryRead(path);
        }

        return Load(index) as string;
    }

    /// <summary>The text of file <paramref name="index"/>, read now unless a thread has already.</summary>
    private object Load(int index)
    {
        if (Volatile.Read(ref _texts[index]) is { } known)
        {
            return known;
        }

        object read = TryRead(_paths[index]) ?? Unreadable;
        return Interlocked.CompareExchange(ref _texts[index], read, null) ?? read;
    }

    /// <summary>
    /// Whether a file exists (File.Exists), asked of the disk once per path; a file in a folder
    /// that the listing read ahead does not hold (<c>&lt;dir&gt;/&lt;version&gt;/&lt;name&gt;.hash</c>,
    /// asked for every package) is not asked of the disk at all.
    /// </summary>
    public bool Exists(string path) => _exists.GetOrAdd(path, static (path, subfolders) =>
    {
        string? folder = Path.GetDirectoryName(path);
        string? parent = Path.GetDirectoryName(folder);
        return (parent is null || !subfolders.TryGetValue(parent, out HashSet<string>? names) || names.Contains(Path.GetFileName(folder!)))
            && File.Exists(path);
    }, _subfolders);

    /// <summary>Where Buildroot looks first for the hash file of the package a manifest declares: <c>&lt;dir&gt;/&lt;dir name&gt;.hash</c>.</summary>
    public static string HashFileBeside(string manifest)
    {
        string folder = Path.GetDirectoryName(manifest)!;
        return Path.Combine(folder, Path.GetFileName(folder) + ".hash");
    }

    /// <summary>Stops reading ahead (what was read stays).</summary>
    public void Dispose() => _stopped = true;

    /// <summary>A file's text (UTF-8, as File.ReadAllText reads it), or null when it does not exist or cannot be read.</summary>
    public static string? TryRead(string path)
    {
        try
        {
            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = RandomAccess.GetLength(file);
            if (length > LargestPooledFile)
            {
                return File.ReadAllText(path);
            }

            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)length + 1);
            try
            {
                int read = 0;
                for (int count; read < buffer.Length && (count = RandomAccess.Read(file, buffer.AsSpan(read), read)) > 0;)
                {
                    read += count;
                }

                return read == buffer.Length ? File.ReadAllText(path) : Decode(buffer.AsSpan(0, read), path);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>UTF-8, its byte order mark dropped; a file marked as UTF-16 or UTF-32 is read as File.ReadAllText reads it.</summary>
    private static string Decode(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        return bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF])
            ? File.ReadAllText(path)
            : Encoding.UTF8.GetString(bytes);
    }

    private void ListSubfolders(string folder)
    {
        if (_subfolders.ContainsKey(folder))
        {
            return;
        }

        try
        {
            // A link to a folder counts as a folder, as File.Exists follows it.
            _subfolders.TryAdd(folder, new HashSet<string>(Directory.EnumerateDirectories(folder).Select(Path.GetFileName)!, StringComparer.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not listed: its files are asked of the disk.
        }
    }

    private void ReadAhead()
    {
        for (int index = Interlocked.Increment(ref _next); index < _texts.Length && !_stopped; index = Interlocked.Increment(ref _next))
        {
            Load(index);
            _ = Exists(HashFileBeside(_paths[index]));
            ListSubfolders(Path.GetDirectoryName(_paths[index])!);
        }
    }
}
