using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace Buildroot.Download.Tasks.Hashing;

/// <summary>
/// Computes several digests of one stream of bytes in a single pass, each algorithm on a thread
/// of its own: the bytes are read (or received) once into a few shared chunks, and sha256 and
/// sha512 of the same chunk run on two cores at once while the next chunk is read. A file is
/// thus read once whatever the number of hashes listed for it, and a download is hashed while
/// it streams to disk without slowing the transfer.
/// <para>
/// Memory is bounded: at most <see cref="ChunkCount"/> chunks of <see cref="ChunkSize"/> bytes
/// are in flight; a producer ahead of the slowest algorithm waits for a chunk to come free.
/// </para>
/// </summary>
internal sealed class MultiHasher : IDisposable
{
    /// <summary>The bytes hashed per hand-over: large enough that handing over costs nothing, small enough to stay in cache.</summary>
    public const int ChunkSize = 256 * 1024;

    /// <summary>How many chunks may be in flight: 4 MiB.</summary>
    public const int ChunkCount = 16;

    private readonly List<Worker> _workers = [];
    private readonly ConcurrentStack<HashChunk> _free = new();
    private readonly SemaphoreSlim _available = new(ChunkCount, ChunkCount);
    private HashChunk? _partial;
    private bool _finished;
    private bool _disposed;

    /// <param name="algorithms">Algorithm names as in hash files (md5 … sha512); duplicates are computed once.</param>
    public MultiHasher(IEnumerable<string> algorithms)
    {
        foreach (string algorithm in algorithms.Distinct(StringComparer.Ordinal))
        {
            if (!HashAlgorithms.IsKnown(algorithm))
            {
                throw new ArgumentException($"Unknown hash algorithm '{algorithm}'.", nameof(algorithms));
            }
        }

        foreach (string algorithm in algorithms.Distinct(StringComparer.Ordinal))
        {
            _workers.Add(new Worker(algorithm, CreateDigest(algorithm), this));
        }
    }

    /// <summary>
    /// A free chunk to fill and <see cref="Post"/>, waiting while every chunk is in use (the
    /// algorithms are behind): reading straight into it spares a copy.
    /// </summary>
    public async Task<HashChunk> RentAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        return TakeFreeChunk();
    }

    /// <summary>Hands <paramref name="count"/> bytes of a rented chunk to every algorithm; the chunk is theirs until hashed.</summary>
    public void Post(HashChunk chunk, int count)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        FlushPartial();
        Dispatch(chunk, count);
    }

    /// <summary>Gives back a rented chunk that holds nothing to hash.</summary>
    public void Return(HashChunk chunk) => Release(chunk);

    /// <summary>Hashes a copy of <paramref name="data"/> (gathered into chunks; the last partial one goes at <see cref="Finish"/>).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!data.IsEmpty)
        {
            if (_partial is null)
            {
                _available.Wait();
                _partial = TakeFreeChunk();
                _partial.Count = 0;
            }

            int take = Math.Min(data.Length, ChunkSize - _partial.Count);
            data[..take].CopyTo(_partial.Buffer.AsSpan(_partial.Count));
            _partial.Count += take;
            data = data[take..];
            if (_partial.Count == ChunkSize)
            {
                FlushPartial();
            }
        }
    }

    /// <summary>Waits for every algorithm to hash what it was given; the digests as lower-case hex, by algorithm name. Call once.</summary>
    public ImmutableDictionary<string, string> Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        FlushPartial();
        _finished = true;
        foreach (Worker worker in _workers)
        {
            worker.Complete();
        }

        foreach (Worker worker in _workers)
        {
            worker.Join();
            worker.ThrowIfFailed();
        }

        return _workers.ToImmutableDictionary(
            worker => worker.Algorithm,
            worker => Convert.ToHexString(worker.Digest.Finish()).ToLowerInvariant(),
            StringComparer.Ordinal);
    }

    /// <summary>Reads <paramref name="stream"/> to its end once and returns its digests for <paramref name="algorithms"/>.</summary>
    public static async Task<ImmutableDictionary<string, string>> HashStreamAsync(
        Stream stream,
        IEnumerable<string> algorithms,
        CancellationToken cancellationToken)
    {
        using var hasher = new MultiHasher(algorithms);
        while (true)
        {
            HashChunk chunk = await hasher.RentAsync(cancellationToken).ConfigureAwait(false);
            int filled = await FillAsync(stream, chunk.Buffer, cancellationToken).ConfigureAwait(false);
            if (filled == 0)
            {
                hasher.Return(chunk);
                break;
            }

            hasher.Post(chunk, filled);
            if (filled < chunk.Buffer.Length)
            {
                break;
            }
        }

        return hasher.Finish();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _finished = true;
        foreach (Worker worker in _workers)
        {
            worker.Complete();
        }

        // The workers stop after what they were given (a few chunks); their digests are theirs until then.
        foreach (Worker worker in _workers)
        {
            worker.Join();
            worker.Dispose();
        }

        if (_partial is not null)
        {
            Release(_partial);
            _partial = null;
        }

        while (_free.TryPop(out HashChunk? chunk))
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }

        _available.Dispose();
    }

    private static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        int read;
        while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static IDigest CreateDigest(string algorithm) =>
        // .NET has no SHA-224; the others are named as in hash files, in upper case (MD5, SHA1, SHA256…).
        algorithm == "sha224"
            ? new Sha224AsDigest(new Sha224Digest())
            : new IncrementalDigest(IncrementalHash.CreateHash(new HashAlgorithmName(algorithm.ToUpperInvariant())));

    private HashChunk TakeFreeChunk() =>
        _free.TryPop(out HashChunk? chunk) ? chunk : new HashChunk(ArrayPool<byte>.Shared.Rent(ChunkSize));

    private void FlushPartial()
    {
        if (_partial is { } partial)
        {
            _partial = null;
            Dispatch(partial, partial.Count);
        }
    }

    private void Dispatch(HashChunk chunk, int count)
    {
        chunk.Count = count;
        if (_workers.Count == 0)
        {
            Release(chunk);
            return;
        }

        chunk.Pending = _workers.Count;
        foreach (Worker worker in _workers)
        {
            worker.Enqueue(chunk);
        }
    }

    private void Release(HashChunk chunk)
    {
        _free.Push(chunk);
        _available.Release();
    }

    /// <summary>One algorithm's thread: hashes the chunks in the order they were posted.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly BlockingCollection<HashChunk> _queue = new(new ConcurrentQueue<HashChunk>());
        private readonly MultiHasher _owner;
        private readonly Thread _thread;
        private ExceptionDispatchInfo? _failure;

        public Worker(string algorithm, IDigest digest, MultiHasher owner)
        {
            Algorithm = algorithm;
            Digest = digest;
            _owner = owner;

            // A thread of its own, not the thread pool's: hashing a large file keeps it busy for seconds.
            _thread = new Thread(Run) { IsBackground = true, Name = $"brdl {algorithm}" };
            _thread.Start();
        }

        public string Algorithm { get; }

        public IDigest Digest { get; }

        public void Enqueue(HashChunk chunk) => _queue.Add(chunk);

        public void Complete() => _queue.CompleteAdding();

        public void Join() => _thread.Join();

        public void ThrowIfFailed() => _failure?.Throw();

        public void Dispose()
        {
            Digest.Dispose();
            _queue.Dispose();
        }

        private void Run()
        {
            foreach (HashChunk chunk in _queue.GetConsumingEnumerable())
            {
                try
                {
                    if (_failure is null)
                    {
                        Digest.Append(chunk.Buffer.AsSpan(0, chunk.Count));
                    }
                }
                catch (CryptographicException e)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    if (Interlocked.Decrement(ref chunk.Pending) == 0)
                    {
                        _owner.Release(chunk);
                    }
                }
            }
        }
    }

    private interface IDigest : IDisposable
    {
        void Append(ReadOnlySpan<byte> data);

        byte[] Finish();
    }

    private sealed class Sha224AsDigest(Sha224Digest sha224) : IDigest
    {
        public void Append(ReadOnlySpan<byte> data) => sha224.Append(data);

        public byte[] Finish() => sha224.Finish();

        public void Dispose()
        {
        }
    }

    private sealed class IncrementalDigest(IncrementalHash hash) : IDigest
    {
        public void Append(ReadOnlySpan<byte> data) => hash.AppendData(data);

        public byte[] Finish() => hash.GetHashAndReset();

        public void Dispose() => hash.Dispose();
    }
}

/// <summary>A buffer of <see cref="MultiHasher.ChunkSize"/> bytes lent by a <see cref="MultiHasher"/>.</summary>
internal sealed class HashChunk
{
    internal int Pending;

    public HashChunk(byte[] buffer)
    {
        Buffer = buffer;
    }

    /// <summary>At least <see cref="MultiHasher.ChunkSize"/> bytes; fill it, then post it.</summary>
    public byte[] Buffer { get; }

    internal int Count { get; set; }
}
