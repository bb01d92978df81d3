using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace Buildroot.Download.Tasks.TestUtilities;

/// <summary>
/// Azure Blob Storage on 127.0.0.1: Microsoft's Azurite emulator (npm package <c>azurite</c>, its
/// <c>azurite-blob</c> program), telemetry off, its data in a fresh folder, with one container
/// (<see cref="ContainerName"/>). Azurite checks SAS tokens and shared-key signatures as Azure does;
/// <see cref="Sas"/> makes container SAS tokens with Microsoft's own SDK (tests only), so our
/// client is checked against an implementation it shares no code with. Stopped on <see cref="Dispose"/>.
/// </summary>
public sealed class AzuriteServer : IDisposable
{
    public const string AzuriteBlobTool = "azurite-blob";
    public const string ContainerName = "cache";

    /// <summary>The emulator's well-known development account (public, documented by Microsoft).</summary>
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Node loads the server's modules first: give it time on a machine busy with other tests.</summary>
    private static readonly TimeSpan NodeStartTimeLimit = TimeSpan.FromSeconds(90);

    private readonly TemporaryFolder _folder = new("azurite");
    private readonly LoopbackServerProcess _azurite;
    private readonly BlobContainerClient _container;

    public AzuriteServer()
    {
        try
        {
            string tool = ToolAvailability.Find(AzuriteBlobTool) ?? throw new InvalidOperationException($"{AzuriteBlobTool} is not on PATH (npm install -g azurite).");
            _azurite = LoopbackServerProcess.Start(tool, port =>
            [
                "--blobHost", "127.0.0.1",
                "--blobPort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--location", _folder.Path,
                "--disableTelemetry",
                "--skipApiVersionCheck",
                "--silent",
            ],
            NodeStartTimeLimit);
            var service = new BlobServiceClient(new Uri($"{BaseUri}/{Account}"), new StorageSharedKeyCredential(Account, AccountKey));
            _container = service.GetBlobContainerClient(ContainerName);
            _container.Create();
        }
        catch
        {
            _azurite?.Dispose();
            _folder.Dispose();
            throw;
        }
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public string BaseUri => $"http://127.0.0.1:{_azurite.Port}";

    /// <summary>The container's URL: <c>http://127.0.0.1:&lt;port&gt;/devstoreaccount1/cache</c>.</summary>
    public string ContainerUri => $"{BaseUri}/{Account}/{ContainerName}";

    /// <summary>A SAS token (a query string without '?') for the container, valid an hour, made by the Azure SDK.</summary>
    public string Sas(bool write) =>
        _container.GenerateSasUri(
            write ? BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Create : BlobContainerSasPermissions.Read,
            DateTimeOffset.UtcNow.AddHours(1)).Query.TrimStart('?');

    /// <summary>The blob's bytes as Azurite keeps them, read with the account key; null when absent.</summary>
    public byte[]? Stored(string blobName)
    {
        BlobClient blob = _container.GetBlobClient(blobName);
        return blob.Exists().Value ? blob.DownloadContent().Value.Content.ToArray() : null;
    }

    /// <summary>Stores <paramref name="content"/> as <paramref name="blobName"/> with the account key (bypassing the client under test).</summary>
    public void Place(string blobName, byte[] content) =>
        _container.GetBlobClient(blobName).Upload(new BinaryData(content), overwrite: true);

    public void Dispose()
    {
        _azurite.Dispose();
        _folder.Dispose();
    }
}
