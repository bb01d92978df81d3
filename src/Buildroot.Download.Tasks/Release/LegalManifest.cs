using System.Text;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Release;

/// <summary>
/// legal-info's <c>manifest.csv</c> (and <c>host-manifest.csv</c>), with Buildroot's columns
/// (its top-level Makefile and <c>legal-manifest</c> in pkg-utils.mk): every field quoted, the
/// header first. The dependency column is kept, empty: packages here have no dependencies.
/// </summary>
internal sealed class LegalManifest
{
    public static readonly string[] Columns = ["PACKAGE", "VERSION", "LICENSE", "LICENSE FILES", "SOURCE ARCHIVE", "SOURCE SITE", "DEPENDENCIES WITH LICENSES"];

    private readonly StringBuilder _text = new StringBuilder().Append(Line(Columns));

    /// <summary>
    /// The package's line, as Buildroot fills it: the raw name, the version as given, the license
    /// (<c>unknown</c> when none, blanks before commas dropped), the license files, the source
    /// file and the site (credentials hidden).
    /// </summary>
    public void Add(PackageSpec package) =>
        _text.Append(Line(
        [
            package.RawName,
            package.Version,
            (package.License ?? "unknown").Replace(" ,", ",", StringComparison.Ordinal),
            string.Join(' ', package.LicenseFileList),
            package.Source,
            SecretRedactor.Redact(package.Site ?? string.Empty),
            string.Empty,
        ]));

    public override string ToString() => _text.ToString();

    private static string Line(IEnumerable<string> fields) =>
        string.Join(',', fields.Select(field => $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"")) + "\n";
}
