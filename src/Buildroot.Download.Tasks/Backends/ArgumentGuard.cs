using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Keeps a package's values from becoming options of the tool a backend runs. The backends
/// also put <c>--</c> before positional values, but a changeset is an option's argument
/// (<c>-r &lt;cset&gt;</c>), some tools re-parse URLs and ssh's tools do not all honour <c>--</c>,
/// so a leading <c>-</c> is refused outright: no real site, changeset or CVS module starts with one.
/// The package's metadata is checked the same way when it is read; this is the backends' own
/// line of defence, for every caller.
/// </summary>
internal static class ArgumentGuard
{
    /// <param name="value">The value to check.</param>
    /// <param name="what">What it is, for the message ("changeset", "repository URL").</param>
    /// <param name="tool">The tool it would be given to.</param>
    public static void RefuseOptionLike(string value, string what, string tool)
    {
        if (value.StartsWith('-'))
        {
            // A site may carry credentials (https://user:token@host): they never reach the log.
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.ValueLooksLikeOption,
                $"The {what} '{SecretRedactor.Redact(value)}' starts with '-', so {tool} would read it as an option. " +
                $"Give a {what} that does not start with '-' (put tool options in DlOpts).");
        }
    }
}
