using System.Net;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Fixtures;

/// <summary>The test server itself must misbehave exactly as asked, or the download tests prove nothing.</summary>
public sealed class LoopbackHttpServerTests
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false });

    [Fact]
    public async Task Serves_files_and_records_requests()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/pkg/a.tar.gz", [1, 2, 3]);

        byte[] body = await Client.GetByteArrayAsync($"{server.BaseUri}/pkg/a.tar.gz");
        HttpResponseMessage missing = await Client.GetAsync($"{server.BaseUri}/pkg/b.tar.gz");

        body.ShouldBe(new byte[] { 1, 2, 3 });
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        server.RequestCount("/pkg/a.tar.gz").ShouldBe(1);
        server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Faults_apply_to_the_given_number_of_requests_then_stop()
    {
        using var server = new LoopbackHttpServer();
        server.Serve("/f", [10, 20, 30, 40]);
        server.Misbehave("/f", LoopbackHttpServer.Fault.ServerError, times: 1);
        server.Misbehave("/f", LoopbackHttpServer.Fault.WrongBytes, times: 1);
        server.Misbehave("/f", LoopbackHttpServer.Fault.DropMidBody, times: 1);

        (await Client.GetAsync($"{server.BaseUri}/f")).StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await Client.GetByteArrayAsync($"{server.BaseUri}/f")).ShouldBe(new byte[] { 245, 235, 225, 215 });
        await Should.ThrowAsync<HttpRequestException>(() => Client.GetByteArrayAsync($"{server.BaseUri}/f"));
        (await Client.GetByteArrayAsync($"{server.BaseUri}/f")).ShouldBe(new byte[] { 10, 20, 30, 40 });
    }
}
