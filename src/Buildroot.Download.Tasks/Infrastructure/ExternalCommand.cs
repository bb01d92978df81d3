using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// An external program to run, as an immutable value: arguments are a list (never one
/// shell string), so a user's value can never be split or read as shell syntax.
/// Build it with the <c>With…</c> methods and run it with <see cref="ProcessRunner"/>.
/// </summary>
internal sealed record ExternalCommand
{
    public ExternalCommand(string fileName)
    {
        FileName = fileName;
    }

    /// <summary>The program: a name looked up on PATH, or a path.</summary>
    public string FileName { get; init; }

    public ImmutableArray<string> Arguments { get; init; } = ImmutableArray<string>.Empty;

    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set for the child; a null value removes the variable.</summary>
    public ImmutableDictionary<string, string?> Environment { get; init; } =
        ImmutableDictionary<string, string?>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Killed (with its children) and reported as <see cref="MessageCodes.ToolTimedOut"/> after this long.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Killed (with its children) and reported as <see cref="MessageCodes.ToolStalled"/> when it and
    /// its children make no progress for this long (see <see cref="StallWatchdog"/>): for tools that
    /// talk to the network.
    /// </summary>
    public TimeSpan? StallLimit { get; init; }

    /// <summary>When true (the default) a non-zero exit is a <see cref="MessageCodes.ToolFailed"/> error.</summary>
    public bool ThrowOnFailure { get; init; } = true;

    /// <summary>When set, standard output goes to this file instead of being captured.</summary>
    public string? StandardOutputPath { get; init; }

    /// <summary>
    /// When set, writes the program's standard input, which is closed when it returns;
    /// when null (the default) the program gets no input at all.
    /// </summary>
    public Func<Stream, CancellationToken, Task>? StandardInputWriter { get; init; }

    /// <summary>
    /// Said when the program cannot be started, e.g. "install git, or set BuildrootGitPath".
    /// </summary>
    public string? MissingToolHint { get; init; }

    /// <summary>When true, the command line is not printed (the caller prints its own line).</summary>
    public bool Quiet { get; init; }

    public ExternalCommand WithArguments(params string[] arguments) =>
        this with { Arguments = Arguments.AddRange(arguments) };

    public ExternalCommand WithArguments(IEnumerable<string> arguments) =>
        this with { Arguments = Arguments.AddRange(arguments) };

    public ExternalCommand WithWorkingDirectory(string directory) =>
        this with { WorkingDirectory = directory };

    public ExternalCommand WithEnvironment(string name, string? value) =>
        this with { Environment = Environment.SetItem(name, value) };

    public ExternalCommand WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };

    public ExternalCommand WithStallLimit(TimeSpan window) => this with { StallLimit = window };

    public ExternalCommand WithoutThrowingOnFailure() => this with { ThrowOnFailure = false };

    public ExternalCommand WithStandardOutputTo(string path) => this with { StandardOutputPath = path };

    /// <summary>Streams <paramref name="writer"/>'s bytes into the program while it runs (e.g. a tar stream into gzip).</summary>
    public ExternalCommand WithStandardInput(Func<Stream, CancellationToken, Task> writer) =>
        this with { StandardInputWriter = writer };

    public ExternalCommand WithMissingToolHint(string hint) => this with { MissingToolHint = hint };

    /// <summary>The command as a person would type it, with credentials in URLs hidden.</summary>
    public override string ToString() =>
        SecretRedactor.Redact(string.Join(' ', new[] { FileName }.Concat(HidePasswordOptions(Arguments)).Select(QuoteForDisplay)));

    /// <summary>
    /// A password given as an option (svn's <c>--password x</c> in a package's DlOpts, say) is
    /// shown as <c>***</c>, like credentials in URLs.
    /// </summary>
    private static IEnumerable<string> HidePasswordOptions(ImmutableArray<string> arguments)
    {
        bool previousWasPasswordOption = false;
        foreach (string argument in arguments)
        {
            if (previousWasPasswordOption)
            {
                yield return "***";
            }
            else if (argument.StartsWith("--password=", StringComparison.Ordinal))
            {
                yield return "--password=***";
            }
            else
            {
                yield return argument;
            }

            previousWasPasswordOption = argument == "--password";
        }
    }

    /// <summary>An argument as a shell user would type it: quoted when it holds anything but plain characters.</summary>
    internal static string QuoteForDisplay(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@%+,^~".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>What a finished command left: its exit code and what it printed.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}
