using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Transports;

/// <summary>Requests as the wrapper makes them, and reference digests from the coreutils tools.</summary>
internal static class TransportTestKit
{
    /// <summary>Retries in milliseconds, so the retry tests stay fast.</summary>
    public static HttpDownloadSettings FastSettings { get; } = new()
    {
        FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        EnvironmentVariable = _ => null,
    };

    /// <summary>A stall limit of <paramref name="stall"/> (and an hour in all), for a request's <c>Limits</c>.</summary>
    public static TransferLimits StallAfter(TimeSpan stall) => new(stall, TimeSpan.FromHours(1));

    public static BackendRequest Request(TemporaryFolder folder, string uri, string fileName, RecordingLog log) =>
        TestRequests.Create(folder, uri, fileName, changeset: "1.0", name: "pkg", baseName: "pkg-1.0", log);

    /// <summary>Mode 0700, as a script someone made executable for themselves.</summary>
    public static void MakeOwnerOnlyExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public static ImmutableArray<string> Opts(params string[] options) => [.. options];

    /// <summary>Random bytes that are different on every run.</summary>
    public static byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The digest of <paramref name="content"/> as <c>sha256sum</c> (or <c>md5sum</c>, …) prints it.</summary>
    public static string DigestByCoreutils(string tool, byte[] content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"brdl-digest-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, content);
        try
        {
            return DigestOfFileByCoreutils(tool, path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static string DigestOfFileByCoreutils(string tool, string path) =>
        ReferenceTool.Run(tool, [path], Path.GetDirectoryName(path)!).Split(' ')[0];
}
