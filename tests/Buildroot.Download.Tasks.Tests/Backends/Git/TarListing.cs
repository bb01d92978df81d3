using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>Looks into a .tar.gz with the system's GNU tar, independently of the code under test.</summary>
internal static class TarListing
{
    /// <summary>The entry names, in archive order.</summary>
    public static string[] Names(string archive) => Tar("-tzf", archive);

    /// <summary>"tar -tv" lines: mode, owner, size, date and name of each entry.</summary>
    public static string[] VerboseNames(string archive) => Tar("-tvzf", archive);

    /// <summary>Unpacks the archive into <paramref name="destination"/> (created) and returns it.</summary>
    public static string Extract(string archive, string destination)
    {
        Directory.CreateDirectory(destination);
        Tar("-xzf", archive, "-C", destination);
        return destination;
    }

    private static string[] Tar(params string[] arguments) =>
        ReferenceTool.Run("tar", arguments, Path.GetTempPath()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
