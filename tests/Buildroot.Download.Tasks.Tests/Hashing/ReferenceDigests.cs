using System.Diagnostics;

namespace Buildroot.Download.Tasks.Tests.Hashing;

/// <summary>Digests computed by coreutils (<c>sha256sum</c> …), independently of the code under test.</summary>
internal static class ReferenceDigests
{
    public static string Of(string algorithm, string path)
    {
        var start = new ProcessStartInfo($"{algorithm}sum") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(path);
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"{algorithm}sum failed");
        return output.Split(' ')[0];
    }

    /// <summary>A file of pseudo-random bytes (a fixed seed: the same bytes on every run).</summary>
    public static string WriteSampleFile(string path, int length = 300_000)
    {
        byte[] data = new byte[length];
        new Random(20240601).NextBytes(data);
        File.WriteAllBytes(path, data);
        return path;
    }
}
