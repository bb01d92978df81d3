namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// A <see cref="SourceLocation"/> found only when a message needs it, then kept: finding some
/// costs a read (the line of a <c>BuildrootPackage</c> item means reading its project's XML), and
/// a build with nothing to report should not pay it. Safe to ask from several threads at once.
/// </summary>
internal sealed class DeferredLocation
{
    private readonly Lazy<SourceLocation?> _location;

    /// <param name="find">Finds the location; called once, on the first <see cref="Value"/>.</param>
    public DeferredLocation(Func<SourceLocation?> find) =>
        _location = new Lazy<SourceLocation?>(find, LazyThreadSafetyMode.ExecutionAndPublication);

    public SourceLocation? Value => _location.Value;
}
