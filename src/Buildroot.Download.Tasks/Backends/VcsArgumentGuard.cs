using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Keeps a package's values from becoming options of a version-control tool. The backends
/// also put <c>--</c> before positional values, but a changeset is an option's argument
/// (<c>-r &lt;cset&gt;</c>) and some tools re-parse URLs, so a leading <c>-</c> is refused outright:
/// no real changeset, repository URL or CVS root starts with one.
/// </summary>
internal static class VcsArgumentGuard
{
    /// <param name="value">The value to check.</param>
    /// <param name="what">What it is, for the message ("changeset", "repository URL").</param>
    /// <param name="tool">The tool it would be given to.</param>
    public static void RefuseOptionLike(string value, string what, string tool)
    {
        if (value.StartsWith('-'))
        {
            throw new BrdlException(
                MessageCodes.ValueLooksLikeOption,
                $"The {what} '{value}' starts with '-', so {tool} would read it as an option. " +
                $"Give a {what} that does not start with '-' (put tool options in DlOpts).");
        }
    }
}
