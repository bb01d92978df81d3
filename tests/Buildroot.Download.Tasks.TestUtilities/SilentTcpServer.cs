using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// A dead server that still accepts: a socket on 127.0.0.1 that takes every connection and then
/// says nothing, reads nothing and closes nothing until it is disposed. Whatever the protocol
/// (http, <c>git://</c>, svn, ssh), a client talking to it waits for an answer that never comes.
/// </summary>
public sealed class SilentTcpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentBag<TcpClient> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    public SilentTcpServer()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog: 64);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>How many connections it has taken.</summary>
    public int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary><c>&lt;scheme&gt;://127.0.0.1:&lt;port&gt;</c>.</summary>
    public string Uri(string scheme) => $"{scheme}://127.0.0.1:{Port}";

    public void Dispose()
    {
        _listener.Stop();
        _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        foreach (TcpClient connection in _connections)
        {
            connection.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            try
            {
                _connections.Add(await _listener.AcceptTcpClientAsync());
                Interlocked.Increment(ref _accepted);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }
}
