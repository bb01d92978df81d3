using System.Security;
using System.Web;
using Buildroot.Download.Tasks.EndToEnd.Tests.Harness;
using Buildroot.Download.Tasks.TestUtilities;
using Xunit.Abstractions;

namespace Buildroot.Download.Tasks.EndToEnd.Tests;

/// <summary>
/// The asset cache (<c>BuildrootAssetCache</c> items) through a real <c>dotnet build</c> against
/// real stores on loopback: nginx with WebDAV, an S3-compatible store that checks signatures
/// (s3rver), Azure Blob Storage (Azurite) with a SAS token from the environment; air-gapped
/// mode, a corrupt entry, an upload refused and stores that stall; secrets never printed.
/// Each "machine" is a project with a download folder of its own.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AssetCacheTests(PackedPackage package, ITestOutputHelper output)
{
    private const string ZlibFile = "zlib-1.3.1.tar.gz";
    private const string Bzip2File = "bzip2-1.0.8.tar.gz";

    private static readonly byte[] Zlib = Payloads.Bytes("zlib-1.3.1", kilobytes: 64);
    private static readonly byte[] Bzip2 = Payloads.Bytes("bzip2-1.0.8", kilobytes: 64);

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Air_gapped_a_file_in_no_cache_is_one_error_naming_package_file_and_sha256_and_no_other_host_is_asked()
    {
        using var upstream = Upstream();
        using var nginx = new NginxWebDavServer();
        nginx.Place($"cache/{Payloads.Sha256(Zlib)}", Zlib);
        using EndToEndProject machine = Machine(
            "airgapped",
            BothPackages(upstream) + Cache($"{nginx.BaseUri}/cache/{{sha256}}", "readwrite"),
            "<BuildrootAssetCacheOnly>true</BuildrootAssetCacheOnly>");

        BuildResult result = await machine.BuildAsync();

        result.ShouldFailWith("BRDL0907");
        string error = result.LinesWith("BRDL0907").Distinct().ShouldHaveSingleItem(result.ToString());
        error.ShouldContain($"bzip2: {Bzip2File}");
        error.ShouldContain(Payloads.Sha256(Bzip2));
        upstream.Requests.ShouldBeEmpty();
        File.ReadAllBytes(machine.DownloadedPath("zlib", ZlibFile)).ShouldBe(Zlib, "the file the cache holds was installed");
        machine.FilesInDownloadFolder().ShouldNotContain(file => file.Contains(Bzip2File, StringComparison.Ordinal));
        nginx.AccessLog.ShouldAllBe(line => line.StartsWith("GET ", StringComparison.Ordinal), "air-gapped, nothing was downloaded, so nothing is stored");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_corrupt_entry_is_a_warning_skipped_and_replaced_in_a_readwrite_cache()
    {
        using var upstream = Upstream();
        using var nginx = new NginxWebDavServer();
        nginx.Place($"cache/{Payloads.Sha256(Zlib)}", Zlib[..1000]);
        using EndToEndProject machine = Machine("corrupt", OnePackage(upstream) + Cache($"{nginx.BaseUri}/cache/{{sha256}}", "readwrite"));

        BuildResult result = await machine.BuildAsync();

        result.ShouldSucceed().ShouldWarn("BRDL0905");
        result.LinesWith("BRDL0905").ShouldAllBe(line => line.Contains("corrupt copy of zlib/" + ZlibFile) && line.Contains("will be replaced"), result.ToString());
        upstream.RequestCount($"/zlib/{ZlibFile}").ShouldBe(1);
        File.ReadAllBytes(machine.DownloadedPath("zlib", ZlibFile)).ShouldBe(Zlib);
        nginx.Stored($"cache/{Payloads.Sha256(Zlib)}").ShouldBe(Zlib, "the good copy replaced the corrupt one before the build ended");
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task An_upload_refused_and_stores_that_stall_each_cost_a_warning_bounded_by_the_stall_limit_and_the_build_passes()
    {
        using var upstream = Upstream();
        using var nginx = new NginxWebDavServer();
        using var deadStore = new StallingServer();
        using var stallsOnUpload = new LoopbackHttpServer();
        stallsOnUpload.Misbehave("PUT", $"/cache/{Payloads.Sha256(Zlib)}", LoopbackHttpServer.Fault.NeverAnswer);
        using EndToEndProject machine = Machine(
            "refused",
            OnePackage(upstream)
                + Cache($"{nginx.BaseUri}/readonly/{{sha256}}", "readwrite") // answers 403 to a PUT
                + Cache($"{deadStore.BaseUri}/cache/{{sha256}}", "readwrite") // accepts and never answers
                + Cache($"{stallsOnUpload.BaseUri}/cache/{{sha256}}", "readwrite")); // 404 to the lookup, silence to the upload

        BuildResult result = await machine.BuildAsync("-p:BuildrootDownloadStallTimeout=2");

        result.ShouldSucceed().ShouldWarn("BRDL0906").ShouldWarn("BRDL0904");
        File.ReadAllBytes(machine.DownloadedPath("zlib", ZlibFile)).ShouldBe(Zlib);
        string[] uploads = result.LinesWith("BRDL0906").Distinct().ToArray();
        uploads.ShouldContain(line => line.Contains("asset cache 1") && line.Contains("403"), result.ToString());
        uploads.ShouldContain(line => line.Contains("asset cache 3") && line.Contains("for 2 s"), result.ToString());
        uploads.ShouldNotContain(line => line.Contains("asset cache 2"), "a store whose lookup failed gets no upload");
        result.LinesWith("BRDL0904").ShouldContain(line => line.Contains("asset cache 2") && line.Contains("after 3 tries") && line.Contains("of the 6 s a site may go without progress"), result.ToString());
        nginx.WaitForAccessLog(line => line.StartsWith("PUT ", StringComparison.Ordinal)).ShouldContain(" 403 ");
        stallsOnUpload.Requests.Select(r => r.Method).ShouldBe(["GET", "PUT"]);
    }

    [RequiresToolsFact("node", S3CompatibleServer.CliPath)]
    public async Task An_s3_bucket_signed_with_the_aws_variables_serves_the_next_machine_and_the_secret_appears_nowhere()
    {
        using var upstream = Upstream();
        using var s3 = new S3CompatibleServer();
        string cache = Cache($"s3://{S3CompatibleServer.Bucket}/buildroot/{{sha256}}", "readwrite");

        using EndToEndProject first = Machine("s3-first", OnePackage(upstream) + cache);
        Use(first, s3.Environment());
        BuildResult stored = await first.BuildAsync("-v:d");
        stored.ShouldSucceed().ShouldNotPrint(S3CompatibleServer.SecretAccessKey);
        s3.Stored($"buildroot/{Payloads.Sha256(Zlib)}").ShouldBe(Zlib, s3.Output);

        upstream.Dispose();
        using EndToEndProject second = Machine("s3-second", OnePackage(upstream) + cache);
        Use(second, s3.Environment());
        BuildResult fetched = await second.BuildAsync("-v:d");

        fetched.ShouldSucceed().ShouldNotPrint(S3CompatibleServer.SecretAccessKey).ShouldPrint($"zlib: {ZlibFile} from asset cache 1");
        File.ReadAllBytes(second.DownloadedPath("zlib", ZlibFile)).ShouldBe(Zlib);
        BinaryLog.Text(stored).ShouldNotContain(S3CompatibleServer.SecretAccessKey, Case.Sensitive);
        BinaryLog.Text(fetched).ShouldNotContain(S3CompatibleServer.SecretAccessKey, Case.Sensitive);
    }

    [RequiresToolsFact(AzuriteServer.AzuriteBlobTool)]
    public async Task An_azure_container_with_a_sas_token_from_the_environment_serves_the_next_machine_and_the_token_appears_nowhere()
    {
        using var upstream = Upstream();
        using var azurite = new AzuriteServer();
        string cache = Cache($"{azurite.ContainerUri}/buildroot/{{sha256}}", "readwrite", """Query="env:ASSET_CACHE_SAS" """);
        string writeSas = azurite.Sas(write: true);
        string readSas = azurite.Sas(write: false);

        using EndToEndProject first = Machine("azure-first", OnePackage(upstream) + cache);
        first.BuildEnvironment["ASSET_CACHE_SAS"] = writeSas;
        BuildResult stored = await first.BuildAsync("-v:d");
        stored.ShouldSucceed();
        azurite.Stored($"buildroot/{Payloads.Sha256(Zlib)}").ShouldBe(Zlib);

        upstream.Dispose();
        using EndToEndProject second = Machine("azure-second", OnePackage(upstream) + cache);
        second.BuildEnvironment["ASSET_CACHE_SAS"] = readSas;
        BuildResult fetched = await second.BuildAsync("-v:d");

        fetched.ShouldSucceed().ShouldPrint($"zlib: {ZlibFile} from asset cache 1");
        File.ReadAllBytes(second.DownloadedPath("zlib", ZlibFile)).ShouldBe(Zlib);
        foreach ((BuildResult result, string sas) in new[] { (stored, writeSas), (fetched, readSas) })
        {
            string signature = HttpUtility.ParseQueryString(sas)["sig"] ?? throw new InvalidOperationException($"No sig in {sas}");
            foreach (string secret in new[] { signature, Uri.EscapeDataString(signature), sas })
            {
                result.ShouldNotPrint(secret);
                BinaryLog.Text(result).ShouldNotContain(secret, Case.Sensitive);
            }
        }
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_token_header_from_the_environment_opens_a_private_cache_and_appears_nowhere()
    {
        using var upstream = Upstream();
        using var nginx = new NginxWebDavServer();
        string cache = Cache($"{nginx.BaseUri}/private/{{sha256}}", "readwrite", """Headers="Authorization=env:ASSET_CACHE_AUTH" """);
        using EndToEndProject first = Machine("token-first", OnePackage(upstream) + cache);
        first.BuildEnvironment["ASSET_CACHE_AUTH"] = $"Bearer {nginx.Token}";

        BuildResult stored = await first.BuildAsync("-v:d");

        stored.ShouldSucceed().ShouldNotPrint(nginx.Token);
        BinaryLog.Text(stored).ShouldNotContain(nginx.Token, Case.Sensitive);
        nginx.Stored($"private/{Payloads.Sha256(Zlib)}").ShouldBe(Zlib);
        nginx.AccessLog.ShouldContain($"PUT /private/{Payloads.Sha256(Zlib)} 201 auth=present");

        // Without the variable, the cache is skipped with a warning naming it, and the site serves the file.
        using EndToEndProject second = Machine("token-missing", OnePackage(upstream) + cache);
        BuildResult skipped = await second.BuildAsync();

        skipped.ShouldSucceed().ShouldWarn("BRDL0903");
        skipped.LinesWith("BRDL0903").ShouldAllBe(line => line.Contains("ASSET_CACHE_AUTH"), skipped.ToString());
        upstream.RequestCount($"/zlib/{ZlibFile}").ShouldBe(2);
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task A_file_without_a_known_sha256_is_neither_looked_up_nor_stored_and_the_detailed_log_says_so()
    {
        using var upstream = Upstream();
        using var nginx = new NginxWebDavServer();
        using EndToEndProject machine = Machine("no-sha256", BothPackages(upstream) + Cache($"{nginx.BaseUri}/cache/{{package}}/{{file}}/{{sha256}}", "readwrite"));
        machine.WriteFile("zlib.hash", $"sha1 {Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Zlib)).ToLowerInvariant()} {ZlibFile}\n");

        BuildResult result = await machine.BuildAsync("-v:d");

        result.ShouldSucceed().ShouldPrint($"zlib/{ZlibFile}: no sha256 is known (add one to its hash file), so the asset caches are not used for it.");
        File.ReadAllBytes(machine.DownloadedPath("zlib", ZlibFile)).ShouldBe(Zlib);
        nginx.AccessLog.ShouldNotContain(line => line.Contains("zlib", StringComparison.Ordinal), "zlib has no sha256: no lookup, no upload");
        nginx.Stored($"cache/bzip2/{Bzip2File}/{Payloads.Sha256(Bzip2)}").ShouldBe(Bzip2, "bzip2 has one, stored under {package}/{file}/{sha256}");
        nginx.WaitForAccessLog(line => line.StartsWith("PUT ", StringComparison.Ordinal));
        nginx.AccessLog.ShouldBe([$"GET /cache/bzip2/{Bzip2File}/{Payloads.Sha256(Bzip2)} 404 auth=-", $"PUT /cache/bzip2/{Bzip2File}/{Payloads.Sha256(Bzip2)} 201 auth=-"]);
    }

    [RequiresToolsFact(NginxWebDavServer.NginxPath)]
    public async Task Two_machines_building_at_once_store_the_same_entry_and_both_pass()
    {
        // Each upstream answer trickles for about 13 s, so both machines miss the cache, download,
        // and upload the same entry at about the same time.
        byte[] content = Payloads.Bytes("shared-1.0", kilobytes: 512);
        using var upstream = new LoopbackHttpServer();
        upstream.Serve($"/zlib/{ZlibFile}", content);
        upstream.Misbehave($"/zlib/{ZlibFile}", LoopbackHttpServer.Fault.Trickle, times: 2);
        using var nginx = new NginxWebDavServer();
        string items = OnePackage(upstream) + Cache($"{nginx.BaseUri}/cache/{{sha256}}", "readwrite");
        using EndToEndProject first = Machine("together-1", items);
        using EndToEndProject second = Machine("together-2", items);
        first.WriteFile("zlib.hash", Payloads.HashLine(ZlibFile, content));
        second.WriteFile("zlib.hash", Payloads.HashLine(ZlibFile, content));

        BuildResult[] results = await Task.WhenAll(first.BuildAsync(), second.BuildAsync());

        foreach (BuildResult result in results)
        {
            result.ShouldSucceed().ShouldNotWarn("BRDL0904").ShouldNotWarn("BRDL0905").ShouldNotWarn("BRDL0906");
        }

        upstream.RequestCount($"/zlib/{ZlibFile}").ShouldBe(2, "the builds overlapped: each missed the cache and downloaded");
        nginx.WaitForAccessLog(line => line.StartsWith("PUT ", StringComparison.Ordinal));
        nginx.AccessLog.Count(line => line.StartsWith($"PUT /cache/{Payloads.Sha256(content)} 20", StringComparison.Ordinal)).ShouldBe(2, string.Join('\n', nginx.AccessLog));
        nginx.Stored($"cache/{Payloads.Sha256(content)}").ShouldBe(content);
        File.ReadAllBytes(first.DownloadedPath("zlib", ZlibFile)).ShouldBe(content);
        File.ReadAllBytes(second.DownloadedPath("zlib", ZlibFile)).ShouldBe(content);
    }

    [Fact]
    public async Task Show_info_lists_the_caches_each_file_would_be_looked_up_in_without_any_secret()
    {
        const string Sas = "sv=2024-08-04&sr=c&sp=r&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";
        using var upstream = Upstream();
        using EndToEndProject machine = Machine(
            "showinfo",
            BothPackages(upstream)
                + """<BuildrootPackage Include="nightly" Version="main" Site="https://example.invalid" TransientDownload="true" />"""
                + Cache("https://cache.example.com/buildroot/{package}/{sha256}", "readwrite", """Headers="Authorization=env:ASSET_CACHE_AUTH" """)
                + Cache("https://acct.blob.core.windows.net/buildroot/{sha256}", "read", """Query="env:ASSET_CACHE_SAS" """)
                + Cache("https://missing.example.com/{sha256}", "read", """Headers="X-Token=env:ASSET_CACHE_UNSET" """));
        machine.BuildEnvironment["ASSET_CACHE_AUTH"] = "Bearer show-info-token-4711";
        machine.BuildEnvironment["ASSET_CACHE_SAS"] = Sas;

        BuildResult result = await machine.RunTargetAsync("BuildrootShowInfo", "-v:d");

        result.ShouldSucceed().ShouldNotPrint("show-info-token-4711").ShouldNotPrint("c2VjcmV0");
        string json = File.ReadAllText(Path.Combine(machine.IntermediateFolder, ShowInfo.FileName));
        json.ShouldNotContain("show-info-token-4711");
        json.ShouldNotContain("c2VjcmV0");
        ShowInfo info = ShowInfo.Read(Path.Combine(machine.IntermediateFolder, ShowInfo.FileName));
        info.Package("zlib").Files.ShouldHaveSingleItem().Caches.ShouldBe(
        [
            new ShowInfoCache(1, $"https://cache.example.com/buildroot/zlib/{Payloads.Sha256(Zlib)}", "readwrite", null),
            new ShowInfoCache(2, $"https://acct.blob.core.windows.net/buildroot/{Payloads.Sha256(Zlib)}?***", "read", null),
            new ShowInfoCache(3, null, "read", info.Package("zlib").Files[0].Caches![2].Problem),
        ]);
        info.Package("zlib").Files[0].Caches![2].Problem.ShouldNotBeNull().ShouldContain("ASSET_CACHE_UNSET");
        info.Package("nightly").Files.ShouldHaveSingleItem().Caches.ShouldBeEmpty("a transient file is never looked up");
        upstream.Requests.ShouldBeEmpty();
    }

    private EndToEndProject Machine(string name, string items, string properties = "")
    {
        var project = new EndToEndProject(package, output, name);
        project.WriteFile("zlib.hash", Payloads.HashLine(ZlibFile, Zlib));
        project.WriteFile("bzip2.hash", Payloads.HashLine(Bzip2File, Bzip2));
        project.WriteProject(items, properties);
        return project;
    }

    private static LoopbackHttpServer Upstream()
    {
        var upstream = new LoopbackHttpServer();
        upstream.Serve($"/zlib/{ZlibFile}", Zlib);
        upstream.Serve($"/bzip2/{Bzip2File}", Bzip2);
        return upstream;
    }

    private static string OnePackage(LoopbackHttpServer upstream) =>
        $"""<BuildrootPackage Include="zlib" Version="1.3.1" Site="{upstream.BaseUri}/zlib" HashFiles="zlib.hash" />""" + Environment.NewLine;

    private static string BothPackages(LoopbackHttpServer upstream) =>
        OnePackage(upstream) + $"""<BuildrootPackage Include="bzip2" Version="1.0.8" Site="{upstream.BaseUri}/bzip2" HashFiles="bzip2.hash" />""" + Environment.NewLine;

    private static string Cache(string template, string access, string metadata = "") =>
        $"""<BuildrootAssetCache Include="{SecurityElement.Escape(template)}" Access="{access}" {metadata}/>""" + Environment.NewLine;

    private static void Use(EndToEndProject project, IReadOnlyDictionary<string, string> environment)
    {
        foreach ((string name, string value) in environment)
        {
            project.BuildEnvironment[name] = value;
        }
    }
}
