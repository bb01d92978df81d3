using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The part of a package's DlOpts that <c>svn info</c> needs as well as <c>svn export</c>: how to
/// reach and log in to the server. The rest (<c>--depth</c>, <c>--native-eol</c>, …) is valid for
/// export only and would make <c>svn info</c> fail. Buildroot keeps just <c>--username</c> and
/// <c>--password</c>; the other global options svn accepts on every command are kept too, since a
/// server that needs them for the export needs them for the date as well.
/// </summary>
internal static class SvnConnectionOptions
{
    private static readonly ImmutableHashSet<string> WithValue = ImmutableHashSet.Create(
        StringComparer.Ordinal, "--username", "--password", "--config-dir", "--config-option", "--trust-server-cert-failures");

    private static readonly ImmutableHashSet<string> Flags = ImmutableHashSet.Create(
        StringComparer.Ordinal, "--no-auth-cache", "--trust-server-cert");

    public static ImmutableArray<string> From(ImmutableArray<string> dlOpts)
    {
        var kept = ImmutableArray.CreateBuilder<string>();
        for (int i = 0; i < dlOpts.Length; i++)
        {
            string option = dlOpts[i];
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? option : option[..equals];
            if (Flags.Contains(option) || (equals >= 0 && WithValue.Contains(name)))
            {
                kept.Add(option);
            }
            else if (WithValue.Contains(option) && i + 1 < dlOpts.Length)
            {
                kept.Add(option);
                kept.Add(dlOpts[++i]);
            }
        }

        return kept.ToImmutable();
    }
}
