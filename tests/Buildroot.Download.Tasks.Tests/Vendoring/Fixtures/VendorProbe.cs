using System.Diagnostics;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;

/// <summary>What one probe process did.</summary>
internal sealed record ProbeResult(int ExitCode, string Output);

/// <summary>
/// Starts <c>Buildroot.Download.Tasks.VendorProbe</c> (built beside the tests): one CargoVendor or
/// GoVendor run in a process of its own, as one of several builds on a machine.
/// </summary>
internal static class VendorProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Starts a probe; <paramref name="commandPrefix"/> is a command that runs it (<c>strace …</c>),
    /// which gets the path of dotnet and the probe's arguments after its own.
    /// </summary>
    public static Process Start(
        string kind,
        string archive,
        string downloadDirectory,
        string outputArchive,
        string? toolPath = null,
        string? goProxy = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        IReadOnlyList<string>? commandPrefix = null)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var startInfo = new ProcessStartInfo(commandPrefix is [var first, ..] ? first : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            .. commandPrefix is { Count: > 0 } ? [.. commandPrefix.Skip(1), dotnet] : Array.Empty<string>(),
            "exec",
            Path.Combine(AppContext.BaseDirectory, "Buildroot.Download.Tasks.VendorProbe.dll"),
            kind, archive, downloadDirectory, outputArchive, toolPath ?? string.Empty,
            .. goProxy is null ? Array.Empty<string>() : [goProxy],
        ];
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return Process.Start(startInfo)!;
    }

    /// <summary>HOME moved to an empty folder; rustup, if cargo is its proxy, still finds its toolchains.</summary>
    public static Dictionary<string, string?> HomeElsewhere(string home)
    {
        string? realHome = Environment.GetEnvironmentVariable("HOME");
        string? rustupHome = Environment.GetEnvironmentVariable("RUSTUP_HOME");
        if (rustupHome is null && realHome is not null && Directory.Exists(Path.Combine(realHome, ".rustup")))
        {
            rustupHome = Path.Combine(realHome, ".rustup");
        }

        return new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["XDG_CACHE_HOME"] = null,
            ["XDG_CONFIG_HOME"] = null,
            ["CARGO_HOME"] = null,
            ["GOPATH"] = null,
            ["GOCACHE"] = null,
            ["GOMODCACHE"] = null,
            ["RUSTUP_HOME"] = rustupHome,
            ["DOTNET_CLI_HOME"] = null,
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
    }

    /// <summary>Waits for every probe; one that hangs is killed and reported.</summary>
    public static async Task<ProbeResult[]> WaitAllAsync(IEnumerable<Process> probes)
    {
        return await Task.WhenAll(probes.Select(WaitAsync));

        static async Task<ProbeResult> WaitAsync(Process probe)
        {
            using (probe)
            {
                Task<string> output = probe.StandardOutput.ReadToEndAsync();
                Task<string> error = probe.StandardError.ReadToEndAsync();
                using var patience = new CancellationTokenSource(Patience);
                try
                {
                    await probe.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    probe.Kill(entireProcessTree: true);
                    return new ProbeResult(-1, $"killed after {Patience}:\n{await output}{await error}");
                }

                return new ProbeResult(probe.ExitCode, await output + await error);
            }
        }
    }

    /// <summary>
    /// A shell script that runs the real <paramref name="tool"/> and appends "start PID" and
    /// "end PID" around it to <paramref name="journal"/>: the tests read from it whether two
    /// processes ever ran the tool at the same time.
    /// </summary>
    public static string JournalingWrapper(string folder, string tool, string journal)
    {
        string real = ToolAvailability.Find(tool) ?? throw new InvalidOperationException($"{tool} is not on PATH.");
        string script = Path.Combine(folder, $"{tool}-journaling");
        File.WriteAllText(script, $"""
            #!/bin/sh
            echo "start $$" >> '{journal}'
            '{real}' "$@"
            status=$?
            echo "end $$" >> '{journal}'
            exit $status

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return script;
    }

    /// <summary>The journal's runs, checked to never overlap: each start is followed by its own end.</summary>
    public static int CountExclusiveRuns(string journal)
    {
        string[] lines = File.ReadAllLines(journal);
        lines.Length.ShouldBeGreaterThan(0);
        (lines.Length % 2).ShouldBe(0, string.Join('\n', lines));
        for (int i = 0; i < lines.Length; i += 2)
        {
            string pid = lines[i]["start ".Length..];
            lines[i].ShouldStartWith("start ", customMessage: string.Join('\n', lines));
            lines[i + 1].ShouldBe($"end {pid}", $"two runs overlapped:\n{string.Join('\n', lines)}");
        }

        return lines.Length / 2;
    }
}
