using Buildroot.Download.Tasks.Download;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Tests.Download;

public sealed class DownloadPlannerTests
{
    private static readonly PackageSpec Zlib = new()
    {
        Name = "zlib",
        Version = "1.3.1",
        SanitizedVersion = "1.3.1",
        Site = "https://zlib.net/",
        SiteMethod = "wget",
        Source = "zlib-1.3.1.tar.gz",
        DlSubdir = "zlib",
    };

    private static readonly DownloadSettings Settings = new()
    {
        DownloadDirectory = "/dl",
        ScratchDirectory = "/obj/scratch",
    };

    [Fact]
    public void Uris_go_primary_with_subdir_primary_site_backup_with_subdir_backup()
    {
        var settings = Settings with { PrimarySite = "http://primary.example/mirror/", BackupSite = "https://backup.example" };

        PlannedFile file = DownloadPlanner.Plan(Zlib, settings).ShouldHaveSingleItem();

        file.Uris.Select(u => (u.Method.Name, u.Uri, u.IsMirror)).ShouldBe(
        [
            ("wget", "http://primary.example/mirror/zlib", true),
            ("wget", "http://primary.example/mirror", true),
            ("wget", "https://zlib.net", false),
            ("wget", "https://backup.example/zlib", true),
            ("wget", "https://backup.example", true),
        ]);
    }

    [Fact]
    public void Primary_site_only_tries_nothing_else()
    {
        var settings = Settings with { PrimarySite = "file:///srv/mirror", PrimarySiteOnly = true, BackupSite = "https://backup.example" };

        PlannedFile file = DownloadPlanner.Plan(Zlib, settings).ShouldHaveSingleItem();

        file.Uris.Select(u => u.Uri).ShouldBe(["file:///srv/mirror/zlib", "file:///srv/mirror"]);
        file.Uris.ShouldAllBe(u => u.Method.Name == "file");
    }

    [Fact]
    public void A_mirror_is_fetched_as_a_plain_file_whatever_the_package_method()
    {
        var git = Zlib with { Site = "https://github.com/madler/zlib.git", SiteMethod = "git", Source = "zlib-1.3.1-git4.tar.gz" };
        var settings = Settings with { BackupSite = "ftp://backup.example/pub" };

        PlannedFile file = DownloadPlanner.Plan(git, settings).ShouldHaveSingleItem();

        file.Uris.Select(u => u.Method.Name).ShouldBe(["git", "curl", "curl"]);
    }

    [Fact]
    public void Patches_then_extra_downloads_follow_the_source_and_full_urls_keep_their_own_site()
    {
        var package = Zlib with
        {
            Patches = ["fix.patch"],
            ExtraDownloads = ["https://other.example/files/extra.tar.gz", "data.bin"],
        };

        var files = DownloadPlanner.Plan(package, Settings);

        files.Select(f => (f.FileName, f.IsMainSource, f.Uris.Single().Uri)).ShouldBe(
        [
            ("zlib-1.3.1.tar.gz", true, "https://zlib.net"),
            ("fix.patch", false, "https://zlib.net"),
            ("extra.tar.gz", false, "https://other.example/files"),
            ("data.bin", false, "https://zlib.net"),
        ]);
    }

    [Fact]
    public void A_package_without_site_is_tried_on_the_mirrors_only()
    {
        var package = Zlib with { Site = null };

        DownloadPlanner.Plan(package, Settings with { BackupSite = "https://backup.example" })
            .ShouldHaveSingleItem().Uris.Select(u => u.Uri).ShouldBe(["https://backup.example/zlib", "https://backup.example"]);
    }
}
