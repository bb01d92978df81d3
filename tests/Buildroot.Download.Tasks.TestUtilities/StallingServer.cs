using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A store that has died without closing its door: it accepts TCP connections on 127.0.0.1 and
/// then neither reads nor answers, as a hung server or a black-holed network does. A client
/// without a time limit would wait on it forever.
/// </summary>
public sealed class StallingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public StallingServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>, without a trailing slash.</summary>
    public string BaseUri => $"http://127.0.0.1:{Port}";

    /// <summary>How many connections it has swallowed.</summary>
    public int Connections => _connections.Count;

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

        foreach (TcpClient connection in _connections)
        {
            connection.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                _connections.Add(await _listener.AcceptTcpClientAsync(_stopping.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
