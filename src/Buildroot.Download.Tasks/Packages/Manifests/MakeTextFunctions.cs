namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>
/// GNU make's text functions that only transform their (already expanded) arguments, as
/// package manifests use them: <c>$(subst .,_,$(FOO_VERSION))</c>, <c>$(firstword …)</c>, …
/// </summary>
internal static class MakeTextFunctions
{
    private static readonly char[] Whitespace = [' ', '\t', '\n', '\r', '\v', '\f'];

    /// <summary>
    /// The text function <paramref name="name"/> names (its name as a constant) and the number of
    /// arguments it takes, the last one getting the rest of the text, commas included; null when
    /// it names none.
    /// </summary>
    public static (string Name, int Arity)? Find(ReadOnlySpan<char> name) => name switch
    {
        "subst" => ("subst", 3),
        "patsubst" => ("patsubst", 3),
        "strip" => ("strip", 1),
        "findstring" => ("findstring", 2),
        "filter" => ("filter", 2),
        "filter-out" => ("filter-out", 2),
        "sort" => ("sort", 1),
        "word" => ("word", 2),
        "wordlist" => ("wordlist", 3),
        "words" => ("words", 1),
        "firstword" => ("firstword", 1),
        "lastword" => ("lastword", 1),
        "dir" => ("dir", 1),
        "notdir" => ("notdir", 1),
        "suffix" => ("suffix", 1),
        "basename" => ("basename", 1),
        "addsuffix" => ("addsuffix", 2),
        "addprefix" => ("addprefix", 2),
        "join" => ("join", 2),
        _ => null,
    };

    public static string[] Words(string text) => text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True for the characters that separate words (<see cref="Words"/>).</summary>
    public static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    /// <summary>Applies function <paramref name="name"/>; null with <paramref name="problem"/> set when the arguments make no sense to make either.</summary>
    public static string? Apply(string name, IReadOnlyList<string> args, out string? problem)
    {
        problem = null;
        string Arg(int index) => index < args.Count ? args[index] : string.Empty;
        switch (name)
        {
            case "subst":
                return Arg(0).Length == 0 ? Arg(2) : Arg(2).Replace(Arg(0), Arg(1), StringComparison.Ordinal);
            case "patsubst":
                return PatternSubstitute(Arg(0), Arg(1), Arg(2));
            case "strip":
                return string.Join(' ', Words(Arg(0)));
            case "findstring":
                return Arg(1).Contains(Arg(0), StringComparison.Ordinal) ? Arg(0) : string.Empty;
            case "filter":
            case "filter-out":
                return Filter(Words(Arg(0)), Arg(1), keepMatches: name == "filter");
            case "sort":
                return string.Join(' ', Words(Arg(0)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            case "word":
                return Number(Arg(0), out int n, out problem) ? Words(Arg(1)).ElementAtOrDefault(n - 1) ?? string.Empty : null;
            case "wordlist":
                if (!Number(Arg(0), out int first, out problem) || !Number(Arg(1), out int last, out problem))
                {
                    return null;
                }

                return string.Join(' ', Words(Arg(2)).Skip(first - 1).Take(Math.Max(0, last - first + 1)));
            case "words":
                return Words(Arg(0)).Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case "firstword":
                return Words(Arg(0)).FirstOrDefault() ?? string.Empty;
            case "lastword":
                return Words(Arg(0)).LastOrDefault() ?? string.Empty;
            case "dir":
                return EachWord(Arg(0), word => word.LastIndexOf('/') is var slash and >= 0 ? word[..(slash + 1)] : "./");
            case "notdir":
                return EachWord(Arg(0), word => word[(word.LastIndexOf('/') + 1)..]);
            case "suffix":
                return string.Join(' ', Words(Arg(0)).Select(SuffixOf).Where(suffix => suffix.Length > 0));
            case "basename":
                return EachWord(Arg(0), word => word[..(word.Length - SuffixOf(word).Length)]);
            case "addsuffix":
                return AddAround(string.Empty, Arg(1), Arg(0));
            case "addprefix":
                return AddAround(Arg(0), Arg(1), string.Empty);
            case "join":
                return Join(Words(Arg(0)), Words(Arg(1)));
            default:
                throw new ArgumentException($"Not a text function: {name}", nameof(name));
        }
    }

    // The functions whose lambdas keep values of their own live apart from Apply: a lambda there
    // would make every call allocate its captured values, whichever function it names.
    private static string Filter(string[] patterns, string text, bool keepMatches) =>
        string.Join(' ', Words(text).Where(word => patterns.Any(p => MatchPattern(p, word, out _)) == keepMatches));

    private static string AddAround(string prefix, string text, string suffix) =>
        EachWord(text, word => prefix + word + suffix);

    private static string Join(string[] left, string[] right) =>
        string.Join(' ', Enumerable.Range(0, Math.Max(left.Length, right.Length))
            .Select(i => left.ElementAtOrDefault(i) + right.ElementAtOrDefault(i)));

    /// <summary><c>$(patsubst pattern,replacement,text)</c>: <c>%</c> matches any stem, which the replacement's <c>%</c> receives.</summary>
    public static string PatternSubstitute(string pattern, string replacement, string text) =>
        EachWord(text, word =>
        {
            if (!MatchPattern(pattern, word, out string stem))
            {
                return word;
            }

            int percent = replacement.IndexOf('%', StringComparison.Ordinal);
            return percent < 0 ? replacement : replacement[..percent] + stem + replacement[(percent + 1)..];
        });

    private static bool MatchPattern(string pattern, string word, out string stem)
    {
        stem = string.Empty;
        int percent = pattern.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0)
        {
            return pattern == word;
        }

        string prefix = pattern[..percent];
        string suffix = pattern[(percent + 1)..];
        if (word.Length < prefix.Length + suffix.Length
            || !word.StartsWith(prefix, StringComparison.Ordinal)
            || !word.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        stem = word[prefix.Length..(word.Length - suffix.Length)];
        return true;
    }

    private static string SuffixOf(string word)
    {
        int slash = word.LastIndexOf('/');
        int dot = word.LastIndexOf('.');
        return dot > slash ? word[dot..] : string.Empty;
    }

    private static string EachWord(string text, Func<string, string> transform) =>
        string.Join(' ', Words(text).Select(transform));

    private static bool Number(string text, out int value, out string? problem)
    {
        if (int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value > 0)
        {
            problem = null;
            return true;
        }

        problem = $"'{text.Trim()}' is not a word index (a number from 1)";
        return false;
    }
}
