namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Where in an input file a message points (a manifest line, a hash file line): MSBuild shows it
/// as <c>file(line)</c>, so IDEs and CI annotations jump to it.
/// </summary>
internal readonly record struct SourceLocation(string File, int Line);
