namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>How far a failure reaches: what it stops, and so what the download does next.</summary>
internal enum FailureScope
{
    /// <summary>
    /// One attempt at one site: it could not deliver (the network, the server's answer, a tool
    /// that failed, a time limit). The next site is tried.
    /// </summary>
    Attempt,

    /// <summary>
    /// One attempt at one site: it delivered, but not what the package describes (bytes that fail
    /// their hashes, an archive that is refused, a changeset it does not have). The next site is
    /// tried; when none delivers, this is the cause the final error is coded by.
    /// </summary>
    WrongContent,

    /// <summary>
    /// The package: its description is wrong or cannot be read (bad metadata, a hash file it names
    /// that cannot be read, a file missing while offline). No site can help; the other packages go on.
    /// </summary>
    Package,

    /// <summary>
    /// The build: nothing else can go on either (a tool that is not installed, a download folder
    /// that cannot be written). The other packages stop too.
    /// </summary>
    Build,
}
