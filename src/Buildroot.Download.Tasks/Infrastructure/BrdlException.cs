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

    /// <summary>True when the next site may still deliver the file.</summary>
    public bool EndsOnlyTheAttempt => Scope is FailureScope.Attempt or FailureScope.WrongContent;
}
