namespace Buildroot.Download.Tasks.Tests.Vendoring.Fixtures;

/// <summary>The crate registry, made once for the cargo tests and only when one of them runs.</summary>
public sealed class CrateRegistryFixture : IDisposable
{
    private readonly Lazy<LocalCrateRegistry> _registry = new(() => new LocalCrateRegistry());

    public LocalCrateRegistry Registry => _registry.Value;

    public void Dispose()
    {
        if (_registry.IsValueCreated)
        {
            _registry.Value.Dispose();
        }
    }
}

/// <summary>The Go module proxy, made once for the go tests and only when one of them runs.</summary>
public sealed class GoProxyFixture : IDisposable
{
    private readonly Lazy<GoFileProxy> _proxy = new(() => new GoFileProxy());

    public GoFileProxy Proxy => _proxy.Value;

    public void Dispose()
    {
        if (_proxy.IsValueCreated)
        {
            _proxy.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CargoVendoringCollection : ICollectionFixture<CrateRegistryFixture>
{
    public const string Name = "Cargo vendoring";
}

[CollectionDefinition(Name)]
public sealed class GoVendoringCollection : ICollectionFixture<GoProxyFixture>
{
    public const string Name = "Go vendoring";
}
