using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>The manifest's warnings, each said once even when the target and host packages both meet it.</summary>
internal sealed class ManifestWarnings(IBuildLog log)
{
    private readonly HashSet<string> _said = new(StringComparer.Ordinal);

    public void Add(string text)
    {
        if (_said.Add(text))
        {
            log.Warning(MessageCodes.ManifestConstructNotUnderstood, text);
        }
    }
}
