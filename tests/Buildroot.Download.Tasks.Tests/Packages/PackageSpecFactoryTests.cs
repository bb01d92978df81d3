using Buildroot.Download.Tasks.Hashing;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Tests.Packages;

public sealed class PackageSpecFactoryTests
{
    private const string BaseDirectory = "/work/project";

    [Fact]
    public void A_plain_tarball_package_gets_Buildroots_defaults()
    {
        PackageSpec spec = Create("zlib", ("Version", "1.3.1"), ("Site", "https://zlib.net"));

        spec.SiteMethod.ShouldBe("wget");
        spec.Source.ShouldBe("zlib-1.3.1.tar.gz");
        spec.DlSubdir.ShouldBe("zlib");
        spec.BaseName.ShouldBe("zlib-1.3.1");
        spec.Version.ShouldBe("1.3.1");
        spec.Version.ShouldBe("1.3.1");
        spec.SanitizedVersion.ShouldBe("1.3.1");
        spec.Redistribute.ShouldBeTrue();
        spec.TransientDownload.ShouldBeFalse();
        spec.ExtraDownloads.ShouldBeEmpty();
        spec.DlOpts.ShouldBeEmpty();
        spec.DownloadPostProcess.ShouldBeNull();
    }

    [Fact]
    public void The_issue_example_keeps_its_explicit_source_and_resolves_its_hash_file()
    {
        PackageSpec spec = Create(
            "zlib",
            ("Version", "1.3.1"),
            ("Site", "https://zlib.net"),
            ("Source", "zlib-1.3.1.tar.xz"),
            ("HashFiles", "packages/zlib/zlib.hash"));

        spec.Source.ShouldBe("zlib-1.3.1.tar.xz");
        spec.HashFiles.ShouldBe(["/work/project/packages/zlib/zlib.hash"]);
    }

    [Fact]
    public void A_host_package_shares_the_download_of_its_target_package()
    {
        PackageSpec spec = Create("host-foo", ("Version", "2.0"), ("Site", "https://example.org/foo"));

        spec.Name.ShouldBe("host-foo");
        spec.DlSubdir.ShouldBe("foo");
        spec.Source.ShouldBe("foo-2.0.tar.gz");
        spec.BaseName.ShouldBe("foo-2.0");
    }

    [Theory]
    [InlineData("http://example.org/dl", "wget")]
    [InlineData("https://example.org/dl", "wget")]
    [InlineData("HTTPS://example.org/dl", "wget")]
    [InlineData("ftp://example.org/pub", "curl")]
    [InlineData("ftps://example.org/pub", "curl")]
    [InlineData("smb://server/share", "curl")]
    [InlineData("file:///srv/tarballs", "file")]
    [InlineData("scp://host/path", "scp")]
    [InlineData("sftp://host/path", "sftp")]
    [InlineData("git://git.example.org/foo.git", "git")]
    [InlineData("svn://svn.example.org/foo/trunk", "svn")]
    [InlineData("hg://hg.example.org/foo", "hg")]
    [InlineData("bzr://bzr.example.org/foo", "bzr")]
    [InlineData("cvs://cvs.example.org/cvsroot", "cvs")]
    public void The_method_defaults_to_the_one_the_sites_scheme_names(string site, string method)
    {
        Create("foo", ("Version", "1.0"), ("Site", site)).SiteMethod.ShouldBe(method);
    }

    [Fact]
    public void Without_a_site_the_method_is_wget_so_that_mirrors_can_serve_the_file()
    {
        PackageSpec spec = Create("foo", ("Version", "1.0"));

        spec.Site.ShouldBeNull();
        spec.SiteMethod.ShouldBe("wget");
    }

    [Fact]
    public void A_site_without_a_scheme_that_starts_with_a_host_is_wgets_as_in_Buildroot()
    {
        PackageSpec spec = Create("libutempter", ("Version", "1.2.1"), ("Site", "ftp.altlinux.org/pub/people/ldv/utempter"));

        (spec.SiteMethod, spec.BuildrootMethod).ShouldBe(("wget", "ftp.altlinux.org/pub/people/ldv/utempter"));
    }

    [Theory]
    [InlineData("git@github.com:user/foo.git")]
    [InlineData("rsync://example.org/foo")]
    [InlineData("/srv/foo")]
    public void A_site_whose_method_cannot_be_told_asks_for_SiteMethod(string site)
    {
        BrdlException error = Fails("foo", ("Version", "1.0"), ("Site", site));

        error.Code.ShouldBe(MessageCodes.UnknownSiteMethod);
        error.Message.ShouldContain("'foo'");
        error.Message.ShouldContain(site);
        error.Message.ShouldContain("SiteMethod");
    }

    [Theory]
    [InlineData("wget")]
    [InlineData("curl")]
    [InlineData("git")]
    [InlineData("Git")]
    [InlineData("svn")]
    [InlineData("hg")]
    [InlineData("bzr")]
    [InlineData("cvs")]
    [InlineData("scp")]
    [InlineData("sftp")]
    [InlineData("file")]
    [InlineData("local")]
    public void An_explicit_method_wins_over_the_scheme(string method)
    {
        Create("foo", ("Version", "1.0"), ("Site", "https://example.org/foo"), ("SiteMethod", method))
            .SiteMethod.ShouldBe(method.ToLowerInvariant());
    }

    [Fact]
    public void An_unknown_explicit_method_is_refused()
    {
        BrdlException error = Fails("foo", ("Version", "1.0"), ("Site", "https://example.org"), ("SiteMethod", "rsync"));

        error.Code.ShouldBe(MessageCodes.UnknownSiteMethod);
        error.Message.ShouldContain("SiteMethod 'rsync'");
    }

    [Theory]
    [InlineData("git", null, "foo-1.0-git4.tar.gz")]
    [InlineData("svn", null, "foo-1.0-svn5.tar.gz")]
    [InlineData("hg", null, "foo-1.0.tar.gz")]
    [InlineData("bzr", null, "foo-1.0.tar.gz")]
    [InlineData("cvs", null, "foo-1.0.tar.gz")]
    [InlineData("git", "cargo", "foo-1.0-git4-cargo6.tar.gz")]
    [InlineData("git", "go", "foo-1.0-git4-go2.tar.gz")]
    [InlineData("wget", "cargo", "foo-1.0-cargo6.tar.gz")]
    [InlineData("wget", "go", "foo-1.0-go2.tar.gz")]
    public void The_default_source_names_the_formats_that_made_the_archive(string method, string? postProcess, string source)
    {
        PackageSpec spec = Create(
            "foo",
            ("Version", "1.0"),
            ("Site", "https://example.org/foo"),
            ("SiteMethod", method),
            ("DownloadPostProcess", postProcess ?? string.Empty));

        spec.Source.ShouldBe(source);
    }

    [Theory]
    [InlineData("remotes/origin/1_10_stable", "remotes/origin/1_10_stable", "remotes_origin_1_10_stable")]
    [InlineData("2020-01-01 12:00:00", "2020-01-01 12:00:00", "2020-01-01_12_00_00")]
    [InlineData("  a \t  b  ", "a b", "a_b")]
    public void The_version_is_sanitized_for_names_and_kept_whole_for_the_backend(string version, string dlVersion, string sanitized)
    {
        PackageSpec spec = Create("foo", ("Version", version), ("Site", "https://example.org/foo.git"), ("SiteMethod", "git"));

        spec.Version.ShouldBe(dlVersion);
        spec.SanitizedVersion.ShouldBe(sanitized);
        spec.Source.ShouldBe($"foo-{sanitized}-git4.tar.gz");
        spec.BaseName.ShouldBe($"foo-{sanitized}");
    }

    [Fact]
    public void A_version_is_required_when_the_file_name_depends_on_it()
    {
        BrdlException error = Fails("foo", ("Site", "https://example.org"));

        error.Code.ShouldBe(MessageCodes.MissingVersion);
        error.Message.ShouldContain("'foo'");
    }

    [Fact]
    public void A_version_control_package_needs_a_version_even_with_an_explicit_source()
    {
        Fails("foo", ("Site", "https://example.org/foo.git"), ("SiteMethod", "git"), ("Source", "foo.tar.gz"))
            .Code.ShouldBe(MessageCodes.MissingVersion);
    }

    [Fact]
    public void A_file_package_with_an_explicit_source_needs_no_version()
    {
        PackageSpec spec = Create("firmware", ("Site", "https://example.org/blobs"), ("Source", "firmware.bin"));

        spec.Source.ShouldBe("firmware.bin");
        spec.SanitizedVersion.ShouldBe(string.Empty);
        spec.BaseName.ShouldBe("firmware"); // Buildroot's BASENAME_RAW without a version
    }

    [Fact]
    public void The_download_subfolder_can_be_shared_between_packages()
    {
        Create("qt5base", ("Version", "5.15"), ("Site", "https://example.org"), ("DlSubdir", "qt5"))
            .DlSubdir.ShouldBe("qt5");
    }

    [Theory]
    [InlineData("Source", "../escape.tar.gz")]
    [InlineData("Source", "sub/foo.tar.gz")]
    [InlineData("Source", "sub\\foo.tar.gz")]
    [InlineData("Source", "/etc/passwd")]
    [InlineData("Source", ".")]
    [InlineData("Source", "..")]
    [InlineData("Source", "foo\0.tar.gz")]
    [InlineData("DlSubdir", "..")]
    [InlineData("DlSubdir", "a/b")]
    [InlineData("ExtraDownloads", "../evil.patch")]
    [InlineData("ExtraDownloads", "https://example.org/dir/")]
    [InlineData("ExtraDownloads", "https://example.org/dir/..")]
    [InlineData("Patch", "sub/fix.patch")]
    [InlineData("Patch", "https://example.org/.")]
    public void Names_that_could_leave_the_package_folder_are_refused(string metadata, string value)
    {
        BrdlException error = Fails("foo", ("Version", "1.0"), ("Site", "https://example.org"), (metadata, value));

        error.Code.ShouldBe(MessageCodes.PathEscapesDownloadFolder);
        error.Message.ShouldContain("'foo'");
        error.Message.ShouldContain(metadata);
    }

    [Fact]
    public void A_version_that_would_put_a_separator_in_the_default_source_is_refused()
    {
        BrdlException error = Fails("foo", ("Version", "1.0\\..\\x"), ("Site", "https://example.org"));

        error.Code.ShouldBe(MessageCodes.PathEscapesDownloadFolder);
        error.Message.ShouldContain("Version");
    }

    [Fact]
    public void Extra_downloads_and_patches_take_names_or_urls_separated_by_semicolons_or_blanks()
    {
        PackageSpec spec = Create(
            "foo",
            ("Version", "1.0"),
            ("Site", "https://example.org/foo"),
            ("ExtraDownloads", "foo-data-1.0.tar.gz; https://other.example.org/x/extra.bin"),
            ("Patch", "fix-1.patch fix-2.patch"));

        spec.ExtraDownloads.ShouldBe(["foo-data-1.0.tar.gz", "https://other.example.org/x/extra.bin"]);
        spec.Patches.ShouldBe(["fix-1.patch", "fix-2.patch"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-foo")]
    [InlineData(".foo")]
    [InlineData("..")]
    [InlineData("foo/bar")]
    [InlineData("foo bar")]
    [InlineData("foo$bar")]
    public void A_package_name_must_be_a_plain_buildroot_name(string name)
    {
        Fails(name, ("Version", "1.0")).Code.ShouldBe(MessageCodes.InvalidPackageName);
    }

    [Theory]
    [InlineData("libsigc++")]
    [InlineData("python3.11")]
    [InlineData("host-foo_bar")]
    [InlineData("0xFFFF")]
    public void Package_names_as_Buildroot_spells_them_are_accepted(string name)
    {
        Create(name, ("Version", "1.0")).Name.ShouldBe(name);
    }

    [Theory]
    [InlineData("Site", "-oProxyCommand=touch /tmp/x")]
    [InlineData("Version", "--upload-pack=touch /tmp/x")]
    [InlineData("Source", "-x.tar.gz")]
    [InlineData("ExtraDownloads", "-O/etc/passwd")]
    public void Values_that_a_tool_would_read_as_options_are_refused(string metadata, string value)
    {
        (string, string)[] metadataList = metadata == "Version"
            ? [("Site", "https://example.org/foo.git"), ("SiteMethod", "git"), (metadata, value)]
            : [("Version", "1.0"), ("SiteMethod", "wget"), (metadata, value)];

        BrdlException error = Fails("foo", metadataList);

        error.Code.ShouldBe(MessageCodes.ValueLooksLikeOption);
        error.Message.ShouldContain($"{metadata} '{value}'");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("YES", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("NO", false)]
    [InlineData("No", false)]
    [InlineData("", false)]
    public void Yes_no_metadata_accept_MSBuild_and_Buildroot_spellings(string value, bool expected)
    {
        PackageSpec spec = Create(
            "foo",
            ("Version", "1.0"),
            ("Site", "https://example.org/foo.git"),
            ("SiteMethod", "git"),
            ("TransientDownload", value),
            ("GitSubmodules", value),
            ("GitLfs", value));

        spec.TransientDownload.ShouldBe(expected);
        spec.GitSubmodules.ShouldBe(expected);
        spec.GitLfs.ShouldBe(expected);
    }

    [Theory]
    [InlineData("TransientDownload", "1")]
    [InlineData("GitSubmodules", "on")]
    [InlineData("Redistribute", "maybe")]
    [InlineData("SvnExternals", "y")]
    public void Other_yes_no_values_are_refused_naming_package_metadata_and_value(string metadata, string value)
    {
        BrdlException error = Fails("foo", ("Version", "1.0"), ("Site", "https://example.org/foo.git"), (metadata, value));

        error.Code.ShouldBe(MessageCodes.InvalidBoolean);
        error.Message.ShouldContain($"Package 'foo': {metadata} '{value}'");
    }

    [Fact]
    public void Redistribute_defaults_to_yes_and_can_be_turned_off()
    {
        Create("foo", ("Version", "1.0")).Redistribute.ShouldBeTrue();
        Create("foo", ("Version", "1.0"), ("Redistribute", "NO")).Redistribute.ShouldBeFalse();
    }

    [Theory]
    [InlineData("GitSubmodules", "wget")]
    [InlineData("GitLfs", "svn")]
    public void Submodules_and_lfs_need_the_git_method(string metadata, string method)
    {
        BrdlException error = Fails("foo", ("Version", "1.0"), ("Site", "https://example.org/foo"), ("SiteMethod", method), (metadata, "YES"));

        error.Code.ShouldBe(MessageCodes.SubmodulesNeedGit);
        error.Message.ShouldContain(metadata);
    }

    [Fact]
    public void Svn_externals_need_the_svn_method()
    {
        Fails("foo", ("Version", "1.0"), ("Site", "https://example.org/foo.git"), ("SvnExternals", "YES"))
            .Code.ShouldBe(MessageCodes.InvalidSetting);
    }

    [Theory]
    [InlineData("cargo", "cargo")]
    [InlineData("Go", "go")]
    public void The_post_process_is_cargo_or_go(string value, string expected)
    {
        Create("foo", ("Version", "1.0"), ("DownloadPostProcess", value)).DownloadPostProcess.ShouldBe(expected);
    }

    [Fact]
    public void Any_other_post_process_is_refused()
    {
        Fails("foo", ("Version", "1.0"), ("DownloadPostProcess", "npm")).Code.ShouldBe(MessageCodes.UnknownPostProcess);
    }

    [Fact]
    public void The_cargo_manifest_defaults_to_the_top_Cargo_toml_and_can_point_lower()
    {
        Create("foo", ("Version", "1.0"), ("DownloadPostProcess", "cargo")).CargoManifest.ShouldBe("Cargo.toml");
        Create("foo", ("Version", "1.0"), ("DownloadPostProcess", "cargo"), ("CargoManifest", "src/rust/Cargo.toml"))
            .CargoManifest.ShouldBe("src/rust/Cargo.toml");
        Create("foo", ("Version", "1.0"), ("DownloadPostProcess", "go"), ("GoSubdir", "cmd/foo")).GoSubdir.ShouldBe("cmd/foo");
    }

    [Theory]
    [InlineData("CargoManifest", "../Cargo.toml", "cargo")]
    [InlineData("CargoManifest", "/Cargo.toml", "cargo")]
    [InlineData("GoSubdir", "a/../../b", "go")]
    [InlineData("CargoManifest", "Cargo.toml", "go")]
    [InlineData("GoSubdir", "cmd", "")]
    public void Paths_inside_the_archive_stay_inside_and_go_with_their_post_process(string metadata, string value, string postProcess)
    {
        Fails("foo", ("Version", "1.0"), ("DownloadPostProcess", postProcess), (metadata, value))
            .Code.ShouldBe(MessageCodes.InvalidSetting);
    }

    [Fact]
    public void Download_options_are_split_into_arguments_as_a_shell_would()
    {
        PackageSpec spec = Create(
            "foo",
            ("Version", "1.0"),
            ("Site", "https://example.org"),
            ("DlOpts", "--header \"Authorization: Bearer x\"  -q\t'--user-agent=a b' c\\ d"));

        spec.DlOpts.ShouldBe(["--header", "Authorization: Bearer x", "-q", "--user-agent=a b", "c d"]);
    }

    [Fact]
    public void Download_options_with_an_open_quote_are_refused()
    {
        Fails("foo", ("Version", "1.0"), ("DlOpts", "--header 'X: y")).Code.ShouldBe(MessageCodes.InvalidSetting);
    }

    [Fact]
    public void Inline_hashes_are_validated_and_normalized()
    {
        PackageSpec spec = Create("foo", ("Version", "1.0"), ("Hash", "SHA256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD; md5:900150983cd24fb0d6963f7d28e17f72"));

        spec.InlineHashes.ShouldBe(
        [
            new HashEntry("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "foo-1.0.tar.gz", "Hash metadata"),
            new HashEntry("md5", "900150983cd24fb0d6963f7d28e17f72", "foo-1.0.tar.gz", "Hash metadata"),
        ]);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha256:1234")]
    [InlineData("crc32:cbf43926")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Malformed_inline_hashes_are_refused(string hash)
    {
        BrdlException error = Fails("foo", ("Version", "1.0"), ("Hash", hash));

        error.Code.ShouldBe(MessageCodes.InvalidInlineHash);
        error.Message.ShouldContain($"Hash '{hash}'");
    }

    [Fact]
    public void Hash_files_resolve_against_the_base_folder_and_keep_their_order()
    {
        PackageSpec spec = Create("foo", ("Version", "1.0"), ("HashFiles", "b/foo.hash; /abs/foo.hash;../c/foo.hash"));

        spec.HashFiles.ShouldBe(["/work/project/b/foo.hash", "/abs/foo.hash", "/work/c/foo.hash"]);
    }

    [Theory]
    [InlineData("git")]
    [InlineData("svn")]
    [InlineData("scp")]
    [InlineData("file")]
    [InlineData("local")]
    public void Methods_other_than_plain_downloads_need_a_site(string method)
    {
        Fails("foo", ("Version", "1.0"), ("SiteMethod", method)).Code.ShouldBe(MessageCodes.MissingSite);
    }

    [Fact]
    public void A_site_with_blanks_is_refused()
    {
        Fails("foo", ("Version", "1.0"), ("Site", "https://example.org/a b")).Code.ShouldBe(MessageCodes.InvalidSetting);
    }

    [Fact]
    public void Errors_never_print_the_credentials_of_a_url()
    {
        BrdlException error = Fails(
            "foo",
            ("Version", "1.0"),
            ("Site", "https://example.org"),
            ("ExtraDownloads", "https://robot:s3cr3t-token@example.org/files/"));

        error.Code.ShouldBe(MessageCodes.PathEscapesDownloadFolder);
        error.Message.ShouldNotContain("s3cr3t-token");
        error.Message.ShouldContain("example.org/files/");
    }

    [Fact]
    public void Metadata_names_are_case_insensitive_and_blank_values_mean_unset()
    {
        PackageSpec spec = Create("foo", ("version", "1.0"), ("SITE", "https://example.org"), ("Source", "   "));

        spec.Version.ShouldBe("1.0");
        spec.Site.ShouldBe("https://example.org");
        spec.Source.ShouldBe("foo-1.0.tar.gz");
    }

    [Theory]
    [InlineData("fd::0", "fd")]
    [InlineData("ext::sh -c touch% /tmp/pwned", "ext")]
    [InlineData("ext::/usr/bin/anything", "ext")]
    [InlineData("testgit::/srv/repo", "testgit")]
    [InlineData("persistent-https://example.org/foo.git", "persistent-https")]
    [InlineData("ftp://example.org/foo.git", "ftp")]
    public void A_git_site_with_a_transport_no_package_means_is_refused(string site, string transport)
    {
        BrdlException error = Fails("foo", ("Version", "1.0"), ("Site", site), ("SiteMethod", "git"));

        error.Code.ShouldBe(MessageCodes.GitTransportRefused);
        error.Scope.ShouldBe(FailureScope.Package);
        error.Message.ShouldContain($"'{transport}'");
    }

    [Theory]
    [InlineData("https://example.org/foo.git")]
    [InlineData("http://example.org/foo.git")]
    [InlineData("git://example.org/foo.git")]
    [InlineData("ssh://git@example.org/foo.git")]
    [InlineData("git+ssh://git@example.org/foo.git")]
    [InlineData("git@github.com:user/foo.git")]
    [InlineData("file:///srv/foo.git")]
    [InlineData("/srv/foo.git")]
    public void A_git_site_over_http_https_ssh_git_or_file_is_accepted(string site)
    {
        Create("foo", ("Version", "1.0"), ("Site", site), ("SiteMethod", "git")).Site.ShouldBe(site);
    }

    private static PackageSpec Create(string name, params (string Name, string Value)[] metadata) =>
        PackageSpecFactory.Create(name, ToDictionary(metadata), BaseDirectory);

    private static BrdlException Fails(string name, params (string Name, string Value)[] metadata) =>
        Should.Throw<BrdlException>(() => PackageSpecFactory.Create(name, ToDictionary(metadata), BaseDirectory));

    private static Dictionary<string, string> ToDictionary((string Name, string Value)[] metadata) =>
        metadata.ToDictionary(pair => pair.Name, pair => pair.Value);
}
