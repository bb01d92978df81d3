namespace Buildroot.Download.Tasks.Packages;

/// <summary>
/// Turns a package's raw metadata (a <c>BuildrootPackage</c> item's metadata, or what the
/// manifest reader found) into a validated <see cref="PackageSpec"/> with Buildroot's defaults.
/// Every invalid value is a <see cref="Infrastructure.BrdlException"/> naming the package and the value.
/// </summary>
internal static class PackageSpecFactory
{
    /// <param name="name">The package name (the item's Include).</param>
    /// <param name="metadata">Metadata by name (Version, Site, SiteMethod, Source, …), case-insensitive; empty values mean unset.</param>
    /// <param name="baseDirectory">Relative paths in metadata (HashFiles) are resolved against this folder.</param>
    public static PackageSpec Create(string name, IReadOnlyDictionary<string, string> metadata, string baseDirectory) =>
        throw new NotImplementedException("Packages room: to be written.");
}
