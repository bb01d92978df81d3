using System.Diagnostics;
using System.Text;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>Looks into a <c>.tar.gz</c> with the system's GNU tar, independently of the package under test.</summary>
internal static class TarContents
{
    /// <summary><c>tar -tzf</c>: the entry names, in archive order.</summary>
    public static IReadOnlyList<string> Names(string archive) =>
        Encoding.UTF8.GetString(Tar("-tzf", archive)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary><c>tar -xzOf</c>: the bytes of one member.</summary>
    public static byte[] Read(string archive, string member) => Tar("-xzOf", archive, "--", member);

    public static string ReadText(string archive, string member) => Encoding.UTF8.GetString(Read(archive, member));

    private static byte[] Tar(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("tar")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process tar = Process.Start(startInfo)!;
        Task<string> errors = tar.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        tar.StandardOutput.BaseStream.CopyTo(output);
        tar.WaitForExit();
        if (tar.ExitCode != 0)
        {
            throw new InvalidOperationException($"tar {string.Join(' ', arguments)} failed with exit code {tar.ExitCode}: {errors.Result}");
        }

        return output.ToArray();
    }
}
