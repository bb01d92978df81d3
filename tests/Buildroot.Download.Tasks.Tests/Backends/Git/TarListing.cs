using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>Looks into a .tar.gz with the system's GNU tar, independently of the code under test.</summary>
internal static class TarListing
{
    private static readonly ProcessRunner Runner = new(new RecordingLog());

    /// <summary>The entry names, in archive order.</summary>
    public static async Task<string[]> NamesAsync(string archive)
    {
        CommandResult result = await Runner.RunAsync(new ExternalCommand("tar").WithArguments("-tzf", archive), CancellationToken.None);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>"tar -tv" lines: mode, owner, size, date and name of each entry.</summary>
    public static async Task<string[]> VerboseNamesAsync(string archive)
    {
        CommandResult result = await Runner.RunAsync(new ExternalCommand("tar").WithArguments("-tvzf", archive), CancellationToken.None);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Unpacks the archive into <paramref name="destination"/> (created) and returns it.</summary>
    public static async Task<string> ExtractAsync(string archive, string destination)
    {
        Directory.CreateDirectory(destination);
        await Runner.RunAsync(new ExternalCommand("tar").WithArguments("-xzf", archive, "-C", destination), CancellationToken.None);
        return destination;
    }
}
