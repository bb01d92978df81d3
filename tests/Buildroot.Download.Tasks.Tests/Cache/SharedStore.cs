namespace Buildroot.Download.Tasks.Tests.Cache;

/// <summary>
/// One store for all the tests of a class (an xunit class fixture), started by the first test
/// that asks for it: node stores take seconds to start, and a class whose tests are all skipped
/// (the tool is missing on a developer machine) never starts one.
/// </summary>
public sealed class SharedStore<TStore> : IDisposable
    where TStore : class, IDisposable, new()
{
    private readonly Lazy<TStore> _store = new(() => new TStore());

    public TStore Store => _store.Value;

    public void Dispose()
    {
        if (_store.IsValueCreated)
        {
            _store.Value.Dispose();
        }
    }
}
