using System.Collections.Immutable;

namespace Buildroot.Download.Tasks.Packages.Manifests;

/// <summary>What <see cref="MakeExpander"/> needs from the makefiles being read.</summary>
internal interface IMakeContext
{
    /// <summary>The variables defined so far, in the namespace every manifest of the build shares.</summary>
    MakeVariable? Lookup(string name);

    /// <summary>
    /// True for names that are simply empty when undefined, as in make (a package's own
    /// variables); any other undefined name (the configuration's <c>BR2_…</c>) makes a value doubtful.
    /// </summary>
    bool UndefinedMeansEmpty(string name);

    /// <summary>Why <paramref name="name"/> may have been set by an assignment whose variable could not be named.</summary>
    ImmutableArray<MakeDoubt> DoubtsAbout(string name);

    /// <summary>The folder relative paths are relative to (make's working directory: the tree's top).</summary>
    string? TopDirectory { get; }

    /// <summary><c>$(eval …)</c>: reads <paramref name="text"/> as makefile lines, as if written on the line being read (the text is not kept).</summary>
    void Eval(ReadOnlyMemory<char> text);

    /// <summary>A macro implemented natively (<c>UPPERCASE</c>, …): its value, or null when <paramref name="name"/> is not one.</summary>
    string? CallNative(string name, IReadOnlyList<string> arguments);
}
