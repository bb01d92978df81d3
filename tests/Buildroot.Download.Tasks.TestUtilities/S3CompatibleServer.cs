namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// An S3-compatible store on 127.0.0.1 that checks AWS Signature Version 4: s3rver as maintained
/// in the npm package <c>@20minutes/s3rver</c> (4.x; the original <c>s3rver</c> 3.x accepts any
/// V4 signature). It recomputes each request's canonical request and signature from the headers,
/// path and query it received and answers 403 <c>SignatureDoesNotMatch</c> when they differ. It
/// does not check the payload hash against the body (real S3 does). Its only key pair is
/// <see cref="AccessKeyId"/>/<see cref="SecretAccessKey"/>; one bucket, <see cref="Bucket"/>, is
/// made at start. Run with node from the global npm folder; stopped on <see cref="Dispose"/>.
/// </summary>
public sealed class S3CompatibleServer : IDisposable
{
    /// <summary>Where <c>npm install -g --prefix /usr @20minutes/s3rver</c> puts its command line.</summary>
    public const string CliPath = "/usr/lib/node_modules/@20minutes/s3rver/lib/cli.js";
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";
    public const string Bucket = "cache";

    /// <summary>Node loads the server's modules first: give it time on a machine busy with other tests.</summary>
    private static readonly TimeSpan NodeStartTimeLimit = TimeSpan.FromSeconds(90);

    private readonly TemporaryFolder _folder = new("s3rver");
    private readonly LoopbackServerProcess _s3rver;

    public S3CompatibleServer()
    {
        try
        {
            string node = ToolAvailability.Find("node") ?? throw new InvalidOperationException("node is not on PATH.");
            string data = _folder.Combine("data");
            _s3rver = LoopbackServerProcess.Start(node, port =>
            [
                "-e", $"require({System.Text.Json.JsonSerializer.Serialize(CliPath)}).parseAsync(process.argv.slice(1), {{ from: 'user' }})",
                "--",
                "--directory", data,
                "--address", "127.0.0.1",
                "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--configure-bucket", Bucket,
            ],
            NodeStartTimeLimit);
        }
        catch
        {
            _folder.Dispose();
            throw;
        }
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>: the endpoint (<c>AWS_ENDPOINT_URL</c>), path-style.</summary>
    public string Endpoint => $"http://127.0.0.1:{_s3rver.Port}";

    /// <summary>What s3rver printed (each request, each refusal), for assertion messages.</summary>
    public string Output => _s3rver.Output;

    /// <summary>The environment an S3 client needs for this store.</summary>
    public IReadOnlyDictionary<string, string> Environment(string? secret = null) => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = secret ?? SecretAccessKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL"] = Endpoint,
    };

    /// <summary>Reads an object back through plain, unsigned HTTP (s3rver serves anonymous reads); null when absent.</summary>
    public byte[]? Stored(string key)
    {
        using var http = new HttpClient();
        using HttpResponseMessage response = http.GetAsync($"{Endpoint}/{Bucket}/{key}").GetAwaiter().GetResult();
        return response.IsSuccessStatusCode ? response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult() : null;
    }

    /// <summary>Stores <paramref name="content"/> as <paramref name="key"/> with a plain, unsigned PUT (bypassing the client under test).</summary>
    public void Place(string key, byte[] content)
    {
        using var http = new HttpClient();
        using HttpResponseMessage response = http.PutAsync($"{Endpoint}/{Bucket}/{key}", new ByteArrayContent(content)).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        _s3rver.Dispose();
        _folder.Dispose();
    }
}
