using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Settings;

/// <summary>
/// Runs the validators of a task's settings one after the other and reports every invalid one
/// (not just the first), so that a user fixes them all in one go; the task then stops before
/// doing anything.
/// </summary>
internal sealed class SettingsCollector(IBuildLog log)
{
    public bool Failed { get; private set; }

    /// <summary>The validated value, or <paramref name="fallback"/> after reporting why it is invalid.</summary>
    public T Read<T>(Func<T> validate, T fallback)
    {
        try
        {
            return validate();
        }
        catch (BrdlException e)
        {
            log.Error(e.Code, e.Message);
            Failed = true;
            return fallback;
        }
    }

    /// <summary>
    /// Warns (<see cref="MessageCodes.PasswordInProject"/>) when <paramref name="value"/> holds a URL with a password:
    /// whatever the console hides, MSBuild records properties and items in full in binary logs.
    /// </summary>
    /// <param name="where">What holds it, for the message ("BuildrootPrimarySite").</param>
    public void WarnAboutPassword(string where, string? value)
    {
        if (value is not null && SecretRedactor.HoldsPassword(value))
        {
            Warn(where, value, declared: null);
        }
    }

    /// <summary>
    /// <see cref="WarnAboutPassword(string, string?)"/> for one metadata value of a package's item,
    /// pointed at the line that declares it. The text naming it is made only when there is a
    /// warning to give: a build checks every value of every package.
    /// </summary>
    public void WarnAboutPassword(string package, string metadata, string? value, DeferredLocation declared)
    {
        if (value is not null && SecretRedactor.HoldsPassword(value))
        {
            Warn($"Package '{package}': its {metadata} metadata", value, declared);
        }
    }

    private void Warn(string where, string value, DeferredLocation? declared) =>
        log.Warning(
            MessageCodes.PasswordInProject,
            SecretRedactor.Redact(
                $"{where} holds a password ({value.Trim()}). The console hides it, but MSBuild records every property and item, " +
                "with its value, in binary logs (-bl) and detailed logs. Remove it from the project and the command line, and put " +
                "the credentials in ~/.netrc (or in a file named by the NETRC environment variable): the downloads read them from there."),
            declared?.Value);
}
