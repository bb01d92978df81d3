namespace Buildroot.Download.Tasks.Backends;

/// <summary>What of the user's own git configuration the runner keeps.</summary>
/// <param name="HasSshCommand">An ssh command of theirs (GIT_SSH_COMMAND, GIT_SSH, core.sshCommand): used as it is.</param>
/// <param name="SubmodulesMayUseFile">protocol.file.allow (else protocol.allow) is "always".</param>
internal sealed record UserGitConfig(bool HasSshCommand, bool SubmodulesMayUseFile)
{
    /// <summary>The keys <see cref="Parse"/> reads, as a <c>git config --get-regexp</c> pattern.</summary>
    public const string Keys = @"^(core\.sshcommand|protocol\.(file\.)?allow)$";

    /// <summary>Before the configuration is read: assume an ssh command of theirs, so none is forced on them.</summary>
    public static UserGitConfig Unknown { get; } = new(HasSshCommand: true, SubmodulesMayUseFile: false);

    /// <summary>Reads the output of <c>git config --get-regexp</c> (lower-case keys, the last value wins).</summary>
    public static UserGitConfig Parse(string configOutput)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in configOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            values[space < 0 ? line : line[..space]] = space < 0 ? string.Empty : line[(space + 1)..].Trim();
        }

        bool sshCommand = values.ContainsKey("core.sshcommand")
            || Environment.GetEnvironmentVariable("GIT_SSH_COMMAND") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("GIT_SSH") is { Length: > 0 };
        string? filePolicy = values.TryGetValue("protocol.file.allow", out string? file) ? file
            : values.TryGetValue("protocol.allow", out string? any) ? any
            : null;
        return new UserGitConfig(sshCommand, string.Equals(filePolicy, "always", StringComparison.OrdinalIgnoreCase));
    }
}
