namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Where the download pipeline reports what it does. The tasks adapt it to MSBuild's
/// logger; tests record it. Errors travel as <see cref="BrdlException"/>, not through here,
/// except where a step must report several of them and go on.
/// </summary>
internal interface IBuildLog
{
    /// <summary>What the user sees by default, even at minimal verbosity ("Downloading zlib").</summary>
    void Message(string text);

    /// <summary>What runs and why (each command line), at normal verbosity.</summary>
    void Detail(string text);

    void Warning(string code, string text);

    void Error(string code, string text);

    /// <summary>
    /// A warning about a line of an input file (a manifest, a hash file, the project that declares a
    /// package), which MSBuild points at; without a location, as <see cref="Warning(string, string)"/>.
    /// </summary>
    void Warning(string code, string text, SourceLocation? location) => Warning(code, text);

    /// <summary>An error about a line of an input file, which MSBuild points at; without a location, as <see cref="Error(string, string)"/>.</summary>
    void Error(string code, string text, SourceLocation? location) => Error(code, text);
}
