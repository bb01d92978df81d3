using System.Net;
using System.Text;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// Credentials from a netrc file, as wget, curl and git read them: the file named by the
/// <c>NETRC</c> environment variable, else <c>~/.netrc</c>. Entries are
/// <c>machine &lt;host&gt; login &lt;user&gt; password &lt;secret&gt;</c> (any blanks or line breaks
/// between the words; a word may be "double-quoted", with <c>\"</c> and <c>\\</c> inside), and a
/// <c>default</c> entry applies to every host no <c>machine</c> names. The host is matched without
/// its port, as curl does; <c>account</c> is skipped, <c>macdef</c> ends at the first empty line,
/// and a word starting with <c>#</c> comments out the rest of its line.
/// This way secrets stay out of project files, command lines and build logs.
/// </summary>
internal static class Netrc
{
    /// <summary>The netrc file in use: <c>$NETRC</c> if set, else <c>$HOME/.netrc</c>; null when neither can be named.</summary>
    public static string? PathFrom(Func<string, string?> environmentVariable)
    {
        if (environmentVariable("NETRC") is { Length: > 0 } named)
        {
            return named;
        }

        string? home = environmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".netrc");
    }

    /// <summary>The login and password for <paramref name="host"/> in the netrc file, or null (no file, or no entry).</summary>
    public static NetworkCredential? Find(Func<string, string?> environmentVariable, string host)
    {
        string? path = PathFrom(environmentVariable);
        if (path is null)
        {
            return null;
        }

        try
        {
            return File.Exists(path) ? Find(File.ReadAllText(path), host) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The entry for <paramref name="host"/> in netrc <paramref name="text"/>: its <c>machine</c> entry, else <c>default</c>.</summary>
    public static NetworkCredential? Find(string text, string host)
    {
        NetworkCredential? fallback = null;
        List<string> words = Words(text);
        for (int i = 0; i < words.Count; i++)
        {
            bool isMachine = words[i] == "machine" && i + 1 < words.Count;
            if (!isMachine && words[i] != "default")
            {
                continue;
            }

            string? machine = isMachine ? words[++i] : null;
            string? login = null;
            string? password = null;
            while (i + 1 < words.Count && words[i + 1] is not ("machine" or "default"))
            {
                string keyword = words[++i];
                string? value = i + 1 < words.Count ? words[++i] : null;
                if (keyword == "login")
                {
                    login = value;
                }
                else if (keyword == "password")
                {
                    password = value;
                }
            }

            var credential = new NetworkCredential(login ?? string.Empty, password ?? string.Empty);
            if (machine is not null && machine.Equals(host, StringComparison.OrdinalIgnoreCase))
            {
                return credential;
            }

            if (machine is null)
            {
                fallback ??= credential;
            }
        }

        return fallback;
    }

    /// <summary>The file's words, without <c>macdef</c> definitions (the rest of their line and the lines up to an empty one).</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            // A word that starts with '#' starts a comment, to the end of its line, as in wget and
            // Python's netrc (curl: at the start of a line). Read as words, a commented-out
            // "default login … password …" would be sent to every host that asks.
            if (text[i] == '#')
            {
                int lineEnd = text.IndexOf('\n', i);
                i = lineEnd < 0 ? text.Length : lineEnd + 1;
                continue;
            }

            var word = new StringBuilder();
            if (text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    word.Append(text[i]);
                }

                i++;
            }
            else
            {
                for (; i < text.Length && !char.IsWhiteSpace(text[i]); i++)
                {
                    word.Append(text[i]);
                }
            }

            if (word.ToString() == "macdef")
            {
                int lineEnd = text.IndexOf('\n', i);
                int emptyLine = lineEnd < 0 ? -1 : text.IndexOf("\n\n", lineEnd, StringComparison.Ordinal);
                i = emptyLine < 0 ? text.Length : emptyLine + 2;
                continue;
            }

            words.Add(word.ToString());
        }

        return words;
    }
}

/// <summary>
/// Answers a server's authentication challenge with the netrc entry for its host, read at each
/// challenge (MSBuild nodes outlive a build, and each build brings its own environment). Credentials
/// given in the URL itself are sent up front and take precedence, as in curl.
/// </summary>
internal sealed class NetrcCredentials(Func<string, string?> environmentVariable) : ICredentials
{
    public NetworkCredential? GetCredential(Uri uri, string authType) => Netrc.Find(environmentVariable, uri.IdnHost);
}
