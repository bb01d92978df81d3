using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Asks Linux for a larger pipe between a producer here and a tool reading it. A pipe holds
/// 64 KiB by default: a producer that works in bursts (the tar writer opening many small files)
/// then leaves the tool idle between bursts, and the two take turns on two cores instead of
/// running side by side. A pipe of 1 MiB (the unprivileged limit, /proc/sys/fs/pipe-max-size)
/// absorbs those bursts.
/// </summary>
internal static class PipeCapacity
{
    /// <summary>What is asked for: the default pipe-max-size, so that it never needs privileges.</summary>
    public const int Wanted = 1 << 20;

    private const int SetPipeSize = 1031; // F_SETPIPE_SZ in <fcntl.h>

    /// <summary>
    /// Enlarges the pipe under <paramref name="stream"/> when it is one; anything else (another
    /// stream, another system, a kernel that refuses) keeps its capacity: only speed depends on it.
    /// </summary>
    public static void TryEnlarge(Stream stream)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return;
        }

        bool added = false;
        try
        {
            pipe.SafePipeHandle.DangerousAddRef(ref added);
            _ = SetPipeCapacity((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, Wanted);
        }
        catch (Exception e) when (e is ObjectDisposedException or EntryPointNotFoundException or DllNotFoundException)
        {
            // The pipe is gone (the tool exited: the writer hears of it on its next write) or
            // the call is not there; the default capacity does.
        }
        finally
        {
            if (added)
            {
                pipe.SafePipeHandle.DangerousRelease();
            }
        }
    }

    // fcntl is variadic; its third argument is an int here, which every Linux ABI passes as a plain one.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int SetPipeCapacity(int descriptor, int command, int capacity);
}
