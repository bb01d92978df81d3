using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages;

/// <summary>
/// Buildroot's <c>FOO_CPE_ID</c> (pkg-generic.mk): a package has one when any of its
/// <c>FOO_CPE_ID_VENDOR</c>, <c>_PRODUCT</c>, <c>_VERSION</c>, <c>_UPDATE</c>, <c>_PREFIX</c> is
/// set, or <c>FOO_CPE_ID_VALID = YES</c>; the parts not set take Buildroot's defaults:
/// <c>cpe:2.3:a</c>, <c>&lt;name&gt;_project</c>, <c>&lt;name&gt;</c>, the version, <c>-</c>.
/// </summary>
internal static class CpeIds
{
    /// <param name="package">The package name, for messages.</param>
    /// <param name="metadata">The package's metadata by name (null when unset).</param>
    /// <param name="valid">The <c>CpeIdValid</c> metadata.</param>
    /// <param name="rawName">The name without <c>host-</c> (Buildroot's <c>RAWNAME</c>).</param>
    /// <param name="version">The sanitized version (Buildroot's <c>FOO_VERSION</c> after pkg-generic).</param>
    /// <returns><c>prefix:vendor:product:version:update:*:*:*:*:*:*</c>, or null when the package has no CPE.</returns>
    public static string? Of(string package, Func<string, string?> metadata, bool valid, string rawName, string version)
    {
        string? vendor = Part(package, metadata, PackageMetadata.CpeIdVendor);
        string? product = Part(package, metadata, PackageMetadata.CpeIdProduct);
        string? cpeVersion = Part(package, metadata, PackageMetadata.CpeIdVersion);
        string? update = Part(package, metadata, PackageMetadata.CpeIdUpdate);
        string? prefix = Part(package, metadata, PackageMetadata.CpeIdPrefix);
        if (!valid && vendor is null && product is null && cpeVersion is null && update is null && prefix is null)
        {
            return null;
        }

        return $"{prefix ?? "cpe:2.3:a"}:{vendor ?? $"{rawName}_project"}:{product ?? rawName}:{cpeVersion ?? version}:{update ?? "-"}:*:*:*:*:*:*";
    }

    private static string? Part(string package, Func<string, string?> metadata, string name)
    {
        string? value = metadata(name);
        if (value is not null && value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.InvalidSetting,
                SecretRedactor.Redact($"Package '{package}': {name} '{value}' holds blanks or control characters; a CPE part is one word."));
        }

        return value;
    }
}
