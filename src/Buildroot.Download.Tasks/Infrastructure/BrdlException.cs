namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// A failure we can explain to the user: it carries a stable <c>BRDL</c> code (see
/// <see cref="MessageCodes"/>) and a message that says what went wrong and what to do.
/// Tasks log it as an MSBuild error with that code; anything else that escapes is a bug.
/// </summary>
internal sealed class BrdlException : Exception
{
    public BrdlException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public BrdlException(string code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
