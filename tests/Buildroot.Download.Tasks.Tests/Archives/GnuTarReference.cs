using System.Diagnostics;

namespace Buildroot.Download.Tasks.Tests.Archives;

/// <summary>
/// The independent reference for the archive writer: Buildroot's own commands run with this
/// machine's GNU tar and gzip. GNU tar 1.34 writes <c>0000000</c> in the device fields of every
/// header where 1.35 (the reference) leaves them NUL; <see cref="BlankDeviceFields"/> undoes that.
/// </summary>
internal static class GnuTarReference
{
    /// <summary>
    /// <c>find . -not -type d | LC_ALL=C sort</c> then Buildroot's <c>tar cf - … -T list</c>, run from inside <paramref name="folder"/>.
    /// </summary>
    public static byte[] CreateTar(string folder, string baseName, DateTimeOffset date, params string[] exclusions)
    {
        var find = new List<string> { "." };
        foreach (string exclusion in exclusions)
        {
            find.AddRange(["-path", "./" + exclusion, "-prune", "-o"]);
        }

        find.AddRange(["-not", "-type", "d", "-print"]);
        byte[] listed = Run("find", find, folder);
        byte[] sorted = Run("sort", [], folder, standardInput: listed);
        string listFile = Path.Combine(Path.GetTempPath(), $"brdl-list-{Guid.NewGuid():N}");
        File.WriteAllBytes(listFile, sorted);
        try
        {
            string when = date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " +0000";
            byte[] tar = Run(
                "tar",
                [
                    "cf", "-", $"--transform=s#^\\./#{baseName}/#S", "--numeric-owner", "--owner=0", "--group=0",
                    $"--mtime={when}", "--format=posix",
                    $"--pax-option=delete=atime,delete=ctime,delete=mtime,exthdr.name=%d/PaxHeaders/%f,exthdr.mtime={{{when}}}",
                    "--mode=go=u,go-w", "-T", listFile,
                ],
                folder);
            return BlankDeviceFields(tar);
        }
        finally
        {
            File.Delete(listFile);
        }
    }

    /// <summary>GNU tar 1.34 → 1.35: NUL device fields in every non-device header, checksum recomputed.</summary>
    public static byte[] BlankDeviceFields(byte[] tar)
    {
        byte[] fixedUp = (byte[])tar.Clone();
        for (int offset = 0; offset + 512 <= fixedUp.Length;)
        {
            Span<byte> header = fixedUp.AsSpan(offset, 512);
            if (!header.ContainsAnyExcept((byte)0))
            {
                break;
            }

            byte type = header[156];
            if (type is not ((byte)'3' or (byte)'4'))
            {
                header.Slice(329, 16).Clear();                  // devmajor[8], devminor[8]
                header.Slice(148, 8).Fill((byte)' ');           // checksum counted as spaces
                int sum = 0;
                foreach (byte b in header)
                {
                    sum += b;
                }

                System.Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header.Slice(148, 8));
            }

            long size = Convert.ToInt64(System.Text.Encoding.ASCII.GetString(header.Slice(124, 11)), 8);
            offset += 512 + (int)((size + 511) / 512 * 512);
        }

        return fixedUp;
    }

    public static byte[] Gzip(byte[] data) => Run("gzip", ["-6", "-n"], Path.GetTempPath(), standardInput: data);

    public static string ListVerbose(string archive) =>
        System.Text.Encoding.UTF8.GetString(Run("tar", ["tvzf", archive, "--numeric-owner", "--full-time"], Path.GetTempPath()));

    public static byte[] Run(string program, IEnumerable<string> arguments, string workingDirectory, byte[]? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["TZ"] = "UTC";
        using Process process = Process.Start(startInfo)!;
        Task feed = Task.Run(() =>
        {
            if (standardInput is not null)
            {
                process.StandardInput.BaseStream.Write(standardInput);
            }

            process.StandardInput.Close();
        });
        using var output = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        string error = process.StandardError.ReadToEnd();
        copy.Wait();
        feed.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }

        return output.ToArray();
    }
}
