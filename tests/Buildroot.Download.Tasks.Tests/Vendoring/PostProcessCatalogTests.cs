using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Vendoring;

namespace Buildroot.Download.Tasks.Tests.Vendoring;

public sealed class PostProcessCatalogTests
{
    [Fact]
    public void Cargo_and_go_name_their_post_processes()
    {
        PostProcessCatalog.Get("cargo").ShouldBeOfType<CargoPostProcess>();
        PostProcessCatalog.Get("go").ShouldBeOfType<GoPostProcess>();
    }

    [Fact]
    public void Another_name_is_error_BRDL0009()
    {
        Should.Throw<BrdlException>(() => PostProcessCatalog.Get("npm")).Code.ShouldBe(MessageCodes.UnknownPostProcess);
    }
}
