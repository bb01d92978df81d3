using System.Globalization;
using System.Xml;
using Buildroot.Download.Tasks.Infrastructure;
using Microsoft.Build.Framework;

namespace Buildroot.Download.Tasks;

/// <summary>
/// Where a <c>BuildrootPackage</c> item is declared, for MSBuild to point the errors and warnings
/// about it there: a package read from a manifest is declared by the manifest's line
/// (<c>DefiningManifest</c>, <c>DefiningManifestLine</c>); one written in a project by the element
/// of that project whose <c>Include</c> names it. MSBuild tells a task the project
/// (<c>DefiningProjectFullPath</c>) but not the line, so the project is read for it, once per
/// project, and only when a message needs it (a build with nothing to report reads none).
/// </summary>
internal sealed class PackageDeclarations
{
    private const string ItemType = "BuildrootPackage";

    // Messages about packages come from the download workers, several at once.
    private readonly object _gate = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, int>> _linesByProject = new(StringComparer.Ordinal);

    /// <summary>
    /// Where <paramref name="item"/> is declared, looked up only when a message asks: even MSBuild's
    /// own <c>DefiningProjectFullPath</c> is computed afresh at every call, which for a thousand
    /// packages was a tenth of a build with nothing to download.
    /// </summary>
    public DeferredLocation Of(ITaskItem item) => new(() => Locate(item));

    private SourceLocation? Locate(ITaskItem item)
    {
        if (item.GetMetadata("DefiningManifest") is { Length: > 0 } manifest)
        {
            return new SourceLocation(manifest, int.TryParse(item.GetMetadata("DefiningManifestLine"), NumberStyles.None, CultureInfo.InvariantCulture, out int line) ? line : 0);
        }

        if (item.GetMetadata("DefiningProjectFullPath") is not { Length: > 0 } project)
        {
            return null;
        }

        // Line 0 when the Include is not written out (a property, a wildcard): MSBuild then points at the project.
        return new SourceLocation(project, LinesOf(project).TryGetValue(item.ItemSpec.Trim(), out int declared) ? declared : 0);
    }

    private IReadOnlyDictionary<string, int> LinesOf(string project)
    {
        lock (_gate)
        {
            if (!_linesByProject.TryGetValue(project, out IReadOnlyDictionary<string, int>? lines))
            {
                lines = Read(project);
                _linesByProject[project] = lines;
            }

            return lines;
        }
    }

    /// <summary>The first line that declares each name, read from the project's XML; empty when it cannot be read.</summary>
    private static Dictionary<string, int> Read(string project)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using XmlReader reader = XmlReader.Create(project, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var position = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == ItemType && reader.GetAttribute("Include") is { } include)
                {
                    foreach (string name in include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        lines.TryAdd(name, position.LineNumber);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
        {
            // Only the line is lost: MSBuild still points at the project.
        }

        return lines;
    }
}
