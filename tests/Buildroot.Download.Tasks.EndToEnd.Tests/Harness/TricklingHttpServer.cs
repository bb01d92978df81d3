using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers every request with a large file sent a little at a
/// time, so that a download is still running minutes later: the slow download a user
/// interrupts with Ctrl+C. (<see cref="TestUtilities.LoopbackHttpServer"/>'s slowness is a short
/// delay before a normal answer, over before a test could interrupt it.)
/// </summary>
internal sealed class TricklingHttpServer : IDisposable
{
    private const int ChunkSize = 4096;
    private static readonly TimeSpan ChunkInterval = TimeSpan.FromMilliseconds(100);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _bodyStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;

    public TricklingHttpServer(long announcedLength = 256L * 1024 * 1024)
    {
        AnnouncedLength = announcedLength;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public long AnnouncedLength { get; }

    public string BaseUri => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Completes once a client has received the first bytes of a body.</summary>
    public Task BodyStarted => _bodyStarted.Task;

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => TrickleAsync(client));
        }
    }

    private async Task TrickleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                await SkipRequestHeadAsync(stream);
                string head = "HTTP/1.1 200 OK\r\n" +
                    $"Content-Length: {AnnouncedLength.ToString(CultureInfo.InvariantCulture)}\r\n" +
                    "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stopping.Token);
                byte[] chunk = new byte[ChunkSize];
                for (long sent = 0; sent < AnnouncedLength; sent += ChunkSize)
                {
                    await stream.WriteAsync(chunk, _stopping.Token);
                    await stream.FlushAsync(_stopping.Token);
                    _bodyStarted.TrySetResult();
                    await Task.Delay(ChunkInterval, _stopping.Token);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client gave up (what the test wants) or the server stops.
            }
        }
    }

    private async Task SkipRequestHeadAsync(NetworkStream stream)
    {
        byte[] one = new byte[1];
        int matched = 0;
        byte[] end = "\r\n\r\n"u8.ToArray();
        while (matched < 4)
        {
            if (await stream.ReadAsync(one, _stopping.Token) == 0)
            {
                throw new IOException("The client closed the connection before its request ended.");
            }

            matched = one[0] == end[matched] ? matched + 1 : one[0] == '\r' ? 1 : 0;
        }
    }
}
