namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// How the file-fetching backends (wget, curl, file, scp, sftp) turn a request into the one
/// location they fetch, the way Buildroot's <c>support/download/*</c> scripts do.
/// </summary>
internal static class SiteUris
{
    /// <summary>
    /// <c>&lt;uri&gt;/&lt;file&gt;</c>, joined literally as Buildroot does (a site ending in <c>/</c>
    /// gives <c>//</c>). With <see cref="BackendRequest.UrlEncode"/> (mirrors) every <c>?</c> in the
    /// file name becomes <c>%3F</c>, so that it reaches the server as part of the name instead of
    /// starting a query. Only URL-speaking backends ask for this: on a file system or over ssh a
    /// <c>?</c> is just a character.
    /// </summary>
    public static string Url(BackendRequest request) =>
        Join(request.Uri, request.UrlEncode ? request.FileName.Replace("?", "%3F", StringComparison.Ordinal) : request.FileName);

    public static string Join(string uri, string fileName) => $"{uri}/{fileName}";

    /// <summary><paramref name="uri"/> without a leading <c>&lt;scheme&gt;://</c>, as Buildroot's <c>${uri##scp://}</c>.</summary>
    public static string WithoutScheme(string uri, string scheme) =>
        uri.StartsWith(scheme + "://", StringComparison.OrdinalIgnoreCase) ? uri[(scheme.Length + 3)..] : uri;

    /// <summary>Best-effort removal of what a failed tool left at the output path.</summary>
    public static void DeletePartialOutput(string outputPath)
    {
        try
        {
            File.Delete(outputPath);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>True when the owner may execute <paramref name="path"/>: the wrapper then installs it as 0755.</summary>
    public static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;
}
