using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Release;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Release;

/// <summary>Buildroot license strings as CycloneDX licenses, and Buildroot's CPE.</summary>
public sealed class CycloneDxLicensesTests
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Theory]
    [InlineData("MIT", """[{"license":{"id":"MIT"}}]""")]
    [InlineData("GPL-2.0+, bzip2-1.0.6", """[{"license":{"id":"GPL-2.0+"}},{"license":{"id":"bzip2-1.0.6"}}]""")]
    [InlineData("gpl-2.0+", """[{"license":{"id":"GPL-2.0+","properties":[{"name":"buildroot:license","value":"gpl-2.0+"}]}}]""")]
    [InlineData("LGPL-2.1+ (libraries), GPL-2.0+ (programs)", """[{"license":{"id":"LGPL-2.1+","properties":[{"name":"buildroot:license","value":"LGPL-2.1+ (libraries)"}]}},{"license":{"id":"GPL-2.0+","properties":[{"name":"buildroot:license","value":"GPL-2.0+ (programs)"}]}}]""")]
    [InlineData("Public domain", """[{"license":{"name":"Public domain"}}]""")]
    [InlineData("BSD-3-Clause, Public Domain", """[{"license":{"id":"BSD-3-Clause"}},{"license":{"name":"Public Domain"}}]""")]
    [InlineData("Apache-2.0 or MIT", """[{"expression":"Apache-2.0 OR MIT"}]""")]
    [InlineData("GPL-2.0+ or LGPL-3.0, MIT (docs)", """[{"expression":"(GPL-2.0+ OR LGPL-3.0) AND MIT"}]""")]
    [InlineData("MPL-1.1+", """[{"expression":"MPL-1.1+"}]""")]
    [InlineData("Artistic or GPL-1.0+", """[{"license":{"name":"Artistic or GPL-1.0+"}}]""")]
    [InlineData("Apache-2.0 or MIT, PROPRIETARY", """[{"license":{"name":"Apache-2.0 or MIT"}},{"license":{"name":"PROPRIETARY"}}]""")]
    [InlineData("GPL-3.0 with exception(tools)", """[{"license":{"name":"GPL-3.0 with exception(tools)"}}]""")]
    [InlineData("MIT, , ISC", """[{"license":{"id":"MIT"}},{"license":{"id":"ISC"}}]""")]
    public void A_Buildroot_license_string_becomes_SPDX_ids_or_an_expression_where_it_is_one_and_names_otherwise(string buildroot, string expected)
    {
        JsonArray licenses = CycloneDxLicenses.From(buildroot)!;

        licenses.ToJsonString(Readable).ShouldBe(expected);
        CycloneDxSchema.Errors(Bom(licenses)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void No_license_gives_no_licenses(string? buildroot) => CycloneDxLicenses.From(buildroot).ShouldBeNull();

    [Fact]
    public void A_hostile_license_string_is_read_in_linear_time()
    {
        string hostile = new string(' ', 1 << 20) + "(" + new string('(', 1 << 16);

        CycloneDxLicenses.From(hostile)!.ToJsonString().ShouldContain("\"name\"");
    }

    [Fact]
    public void The_embedded_SPDX_ids_are_the_ones_the_vendored_CycloneDX_schema_accepts()
    {
        JsonArray schemaIds = JsonNode.Parse(File.ReadAllText(CycloneDxSchema.SpdxSchemaFile))!["enum"]!.AsArray();

        SpdxLicenseIds.All.Order(StringComparer.Ordinal).ShouldBe(schemaIds.Select(id => id!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_schema_check_refuses_an_id_SPDX_does_not_know_and_a_list_mixed_with_an_expression()
    {
        CycloneDxSchema.Errors(Bom(new JsonArray(new JsonObject { ["license"] = new JsonObject { ["id"] = "Public-Domain-ish" } }))).ShouldNotBeEmpty();
        CycloneDxSchema.Errors(Bom(new JsonArray(
            new JsonObject { ["license"] = new JsonObject { ["id"] = "MIT" } },
            new JsonObject { ["expression"] = "Apache-2.0 OR MIT" }))).ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("", "", null)]
    [InlineData("CpeIdVendor=haxx", "", "cpe:2.3:a:haxx:libfoo:1.2_3:-:*:*:*:*:*:*")]
    [InlineData("CpeIdValid=YES", "", "cpe:2.3:a:libfoo_project:libfoo:1.2_3:-:*:*:*:*:*:*")]
    [InlineData("CpeIdValid=NO", "", null)]
    [InlineData("CpeIdVersion=10.5;CpeIdUpdate=p1", "", "cpe:2.3:a:libfoo_project:libfoo:10.5:p1:*:*:*:*:*:*")]
    [InlineData("CpeIdPrefix=cpe:2.3:o;CpeIdProduct=foo", "host-", "cpe:2.3:o:libfoo_project:foo:1.2_3:-:*:*:*:*:*:*")]
    public void The_CPE_is_Buildroots_with_its_defaults_only_when_a_CPE_variable_is_set(string metadata, string namePrefix, string? expected)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Version"] = "1.2/3", ["Site"] = "https://example.org" };
        foreach (string pair in metadata.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            values[pair.Split('=')[0]] = pair.Split('=')[1];
        }

        PackageSpecFactory.Create($"{namePrefix}libfoo", values, "/").CpeId.ShouldBe(expected);
    }

    private static string Bom(JsonArray licenses) =>
        new JsonObject
        {
            ["bomFormat"] = "CycloneDX",
            ["specVersion"] = "1.6",
            ["components"] = new JsonArray(new JsonObject { ["type"] = "library", ["name"] = "x", ["licenses"] = licenses.DeepClone() }),
        }.ToJsonString();
}
