using System.Globalization;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The time limits and "never prompt" settings each network tool understands, derived from the
/// build's <see cref="TransferLimits"/>: one place that knows every tool's spelling. They are a
/// second line behind <see cref="StallWatchdog"/> and the overall limit (see
/// <see cref="TransferLimits.ToolSeconds"/>), and a first one where those cannot act (a tool left
/// running by a build that was killed).
/// </summary>
internal static class NetworkToolSettings
{
    /// <summary>
    /// ssh (scp, sftp, and git or svn over ssh): never prompt (a build has no one to type a
    /// password or accept a host key), give up on a server that does not connect, and on a
    /// connection that stops answering (three unanswered keep-alives).
    /// </summary>
    public static string[] SshOptions(TransferLimits limits)
    {
        int seconds = limits.ToolStallSeconds;
        return
        [
            "-o", "BatchMode=yes",
            "-o", $"ConnectTimeout={Text(seconds)}",
            "-o", $"ServerAliveInterval={Text(Math.Max(1, (seconds + 2) / 3))}",
            "-o", "ServerAliveCountMax=3",
        ];
    }

    /// <summary>The ssh command line for tools that take one (<c>GIT_SSH_COMMAND</c>, <c>SVN_SSH</c>): fixed words, no user value.</summary>
    public static string SshCommand(TransferLimits limits, params string[] extraOptions) =>
        string.Join(' ', ["ssh", .. extraOptions, .. SshOptions(limits)]);

    /// <summary>
    /// git over http(s) (libcurl's low-speed limit, <see cref="TransferLimits.ProgressBytes"/> over
    /// the window) and no terminal prompt for credentials. Other transports have no setting: the
    /// watchdog stops them.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> GitEnvironment(TransferLimits limits) =>
    [
        new("GIT_TERMINAL_PROMPT", "0"),
        new("GIT_HTTP_LOW_SPEED_LIMIT", Text(limits.ToolLowSpeedBytesPerSecond)),
        new("GIT_HTTP_LOW_SPEED_TIME", Text(limits.ToolStallSeconds)),
    ];

    /// <summary>curl: connect, low speed and, when there is one, the overall limit of a try.</summary>
    public static string[] CurlArguments(TransferLimits limits)
    {
        string[] arguments =
        [
            "--connect-timeout", Text(limits.ToolStallSeconds),
            "--speed-limit", Text(limits.ToolLowSpeedBytesPerSecond),
            "--speed-time", Text(limits.ToolStallSeconds),
        ];
        return limits.HasOverallLimit
            ? [.. arguments, "--max-time", Text(TransferLimits.ToolSeconds(limits.Overall))]
            : arguments;
    }

    /// <summary>wget: DNS, connect and read time-outs (a read time-out is silence; a trickle is left to the watchdog).</summary>
    public static string[] WgetArguments(TransferLimits limits) => [$"--timeout={Text(limits.ToolStallSeconds)}"];

    /// <summary>svn over http(s): the time-out of the server's silence, as a command-line config option.</summary>
    public static string[] SvnArguments(TransferLimits limits) =>
        ["--config-option", $"servers:global:http-timeout={Text(limits.ToolStallSeconds)}"];

    /// <summary>hg: never prompt, and give up a blocked http read.</summary>
    public static string[] HgArguments(TransferLimits limits) =>
        ["--noninteractive", "--config", $"http.timeout={Text(limits.ToolStallSeconds)}"];

    /// <summary>cargo: the time-out and low-speed limit of each http request, and Buildroot's three tries.</summary>
    public static IEnumerable<KeyValuePair<string, string>> CargoEnvironment(TransferLimits limits) =>
    [
        new("CARGO_HTTP_TIMEOUT", Text(limits.ToolStallSeconds)),
        new("CARGO_HTTP_LOW_SPEED_LIMIT", Text(limits.ToolLowSpeedBytesPerSecond)),
        new("CARGO_NET_RETRY", "2"),
        .. GitEnvironment(limits),
    ];

    /// <summary>
    /// go has no time limit for its module proxy requests (the watchdog stops them); the git it
    /// runs for direct fetches gets git's settings (go itself makes ssh batch mode).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> GoEnvironment(TransferLimits limits) => GitEnvironment(limits);

    /// <summary>Sets <paramref name="variables"/> on <paramref name="command"/>.</summary>
    public static ExternalCommand WithEnvironment(this ExternalCommand command, IEnumerable<KeyValuePair<string, string>> variables)
    {
        foreach ((string name, string value) in variables)
        {
            command = command.WithEnvironment(name, value);
        }

        return command;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
