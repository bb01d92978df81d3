namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// A failure we can explain to the user: it carries a stable <c>BRDL</c> code (see
/// <see cref="MessageCodes"/>), a message that says what went wrong and what to do, and how far
/// it reaches (<see cref="FailureScope"/>), decided where it is raised: the code that meets a
/// failure knows whether another site could help, not the code that catches it.
/// Tasks log it as an MSBuild error with that code; anything else that escapes is a bug.
/// </summary>
internal sealed class BrdlException : Exception
{
    public BrdlException(FailureScope scope, string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Scope = scope;
        Code = code;
    }

    public FailureScope Scope { get; }

    public string Code { get; }

    /// <summary>The line of an input file at fault (a hash file line, a manifest), for MSBuild to point at.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>
    /// The failure in a few words, without the URL and the advice (<c>the server answered 404 Not
    /// Found</c>), for a list that names each URL itself; null when <see cref="Exception.Message"/> is all there is.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>What to do about it, said once in a list of several sites that failed the same way.</summary>
    public string? Advice { get; init; }

    /// <summary>True when the next site may still deliver the file.</summary>
    public bool EndsOnlyTheAttempt => Scope is FailureScope.Attempt or FailureScope.WrongContent;
}
