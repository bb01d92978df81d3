using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Packages.Manifests;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Packages;

public sealed class ManifestReaderTests : IDisposable
{
    private const string Banner = "################################################################################\n#\n# {0}\n#\n################################################################################\n\n";

    private readonly TemporaryFolder _folder = new("manifests");
    private readonly RecordingLog _log = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_github_hosted_autotools_package_reads_like_Buildroot_sees_it()
    {
        string manifest = Write("libfoo", """
            LIBFOO_VERSION = 1.2.3
            LIBFOO_SITE = $(call github,foo-project,libfoo,v$(LIBFOO_VERSION))
            LIBFOO_LICENSE = LGPL-2.1+
            LIBFOO_LICENSE_FILES = COPYING COPYING.LIB
            LIBFOO_CPE_ID_VENDOR = foo-project
            LIBFOO_INSTALL_STAGING = YES
            LIBFOO_DEPENDENCIES = host-pkgconf zlib
            LIBFOO_CONF_OPTS = \
            	--disable-static \
            	--enable-shared

            ifeq ($(BR2_PACKAGE_OPENSSL),y)
            LIBFOO_DEPENDENCIES += openssl
            LIBFOO_CONF_OPTS += --with-openssl
            else
            LIBFOO_CONF_OPTS += --without-openssl
            endif

            define LIBFOO_INSTALL_INIT_SYSV
            	$(INSTALL) -D -m 0755 $(LIBFOO_PKGDIR)/S50libfoo \
            		$(TARGET_DIR)/etc/init.d/S50libfoo
            endef

            $(eval $(autotools-package))
            """);

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Name.ShouldBe("libfoo");
        package.DefiningManifest.ShouldBe(manifest);
        package.Metadata.ShouldBe(new Dictionary<string, string>
        {
            ["Version"] = "1.2.3",
            ["Site"] = "https://github.com/foo-project/libfoo/archive/v1.2.3",
            ["License"] = "LGPL-2.1+",
            ["LicenseFiles"] = "COPYING;COPYING.LIB",
            ["CpeIdVendor"] = "foo-project",
        }, ignoreOrder: true);
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_gitlab_hosted_package_gets_the_gitlab_archive_url()
    {
        string manifest = Write("bar", "BAR_VERSION = v2.0\nBAR_SITE = $(call gitlab,group,bar,$(BAR_VERSION))\n$(eval $(generic-package))\n");

        Read(manifest).ShouldHaveSingleItem().Metadata["Site"].ShouldBe("https://gitlab.com/group/bar/-/archive/v2.0");
    }

    [Fact]
    public void A_git_package_with_submodules_keeps_its_method_and_flags()
    {
        string manifest = Write("foo-tool", """
            FOO_TOOL_VERSION = 0123456789abcdef0123456789abcdef01234567
            FOO_TOOL_SITE = https://git.example.org/foo-tool.git
            FOO_TOOL_SITE_METHOD = git
            FOO_TOOL_GIT_SUBMODULES = YES
            FOO_TOOL_GIT_LFS = YES
            FOO_TOOL_LICENSE = MIT
            FOO_TOOL_LICENSE_FILES = LICENSE

            $(eval $(cmake-package))
            """);

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Name.ShouldBe("foo-tool");
        package.Metadata["Version"].ShouldBe("0123456789abcdef0123456789abcdef01234567");
        package.Metadata["SiteMethod"].ShouldBe("git");
        package.Metadata["GitSubmodules"].ShouldBe("true");
        package.Metadata["GitLfs"].ShouldBe("true");
    }

    [Fact]
    public void A_cargo_package_vendors_its_crates_from_its_sub_folder()
    {
        string manifest = Write("ripgrep", """
            RIPGREP_VERSION = 14.1.0
            RIPGREP_SITE = $(call github,BurntSushi,ripgrep,$(RIPGREP_VERSION))
            RIPGREP_LICENSE = MIT
            RIPGREP_LICENSE_FILES = LICENSE-MIT
            RIPGREP_SUBDIR = crates/core
            RIPGREP_CARGO_BUILD_OPTS = --features pcre2

            $(eval $(cargo-package))
            """);

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Metadata["DownloadPostProcess"].ShouldBe("cargo");
        package.Metadata["CargoManifest"].ShouldBe("crates/core/Cargo.toml");
        PackageSpecFactory.Create(package.Name, package.Metadata, _folder.Path).Source.ShouldBe("ripgrep-14.1.0-cargo6.tar.gz");
    }

    [Fact]
    public void A_python_package_vendoring_rust_names_its_cargo_manifest_in_the_download_environment()
    {
        string manifest = Write("python-cryptography", """
            PYTHON_CRYPTOGRAPHY_VERSION = 42.0.5
            PYTHON_CRYPTOGRAPHY_SOURCE = cryptography-$(PYTHON_CRYPTOGRAPHY_VERSION).tar.gz
            PYTHON_CRYPTOGRAPHY_SITE = https://files.pythonhosted.org/packages/13/9e/a55763a32d340d7b06d045753c186b690e7d88780cafce5f88cb931536be
            PYTHON_CRYPTOGRAPHY_SETUP_TYPE = maturin
            # We need to vendor the Cargo crates at download time
            PYTHON_CRYPTOGRAPHY_DOWNLOAD_POST_PROCESS = cargo
            PYTHON_CRYPTOGRAPHY_DL_ENV = \
            	BR_CARGO_MANIFEST_PATH=src/rust/Cargo.toml

            $(eval $(python-package))
            """);

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Name.ShouldBe("python-cryptography");
        package.Metadata["Source"].ShouldBe("cryptography-42.0.5.tar.gz");
        package.Metadata["DownloadPostProcess"].ShouldBe("cargo");
        package.Metadata["CargoManifest"].ShouldBe("src/rust/Cargo.toml");
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_golang_package_vendors_modules_from_its_sub_folder()
    {
        string manifest = Write("gotool", "GOTOOL_VERSION = 1.0\nGOTOOL_SITE = $(call github,acme,gotool,v$(GOTOOL_VERSION))\nGOTOOL_SUBDIR = cmd/gotool\n$(eval $(golang-package))\n");

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Metadata["DownloadPostProcess"].ShouldBe("go");
        package.Metadata["GoSubdir"].ShouldBe("cmd/gotool");
    }

    [Fact]
    public void A_host_only_package_is_named_host_and_reads_the_variables_without_prefix()
    {
        string manifest = Write("genimage", """
            GENIMAGE_VERSION = 17
            GENIMAGE_SOURCE = genimage-$(GENIMAGE_VERSION).tar.xz
            GENIMAGE_SITE = https://github.com/pengutronix/genimage/releases/download/v$(GENIMAGE_VERSION)
            HOST_GENIMAGE_DEPENDENCIES = host-pkgconf host-libconfuse
            GENIMAGE_LICENSE = GPL-2.0
            GENIMAGE_LICENSE_FILES = COPYING

            $(eval $(host-autotools-package))
            """);

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Name.ShouldBe("host-genimage");
        package.Metadata["Version"].ShouldBe("17");
        package.Metadata["Source"].ShouldBe("genimage-17.tar.xz");
        package.Metadata["Site"].ShouldBe("https://github.com/pengutronix/genimage/releases/download/v17");
        package.Metadata.ShouldNotContainKey("HashFiles", "genimage.hash is not there");
    }

    [Fact]
    public void Target_and_host_packages_sharing_a_download_give_one_item()
    {
        string manifest = Write("zstd", "ZSTD_VERSION = 1.5.6\nZSTD_SITE = https://example.org/zstd\n$(eval $(generic-package))\n$(eval $(host-generic-package))\n");

        Read(manifest).ShouldHaveSingleItem().Name.ShouldBe("zstd");
    }

    [Fact]
    public void A_host_package_with_its_own_version_is_a_second_item()
    {
        string manifest = Write("zstd", "ZSTD_VERSION = 1.5.6\nHOST_ZSTD_VERSION = 1.4.0\nZSTD_SITE = https://example.org/zstd\n$(eval $(generic-package))\n$(eval $(host-generic-package))\n");

        ManifestPackage[] packages = Read(manifest);

        packages.Select(p => (p.Name, p.Metadata["Version"], p.Metadata["Site"])).ShouldBe(
        [
            ("zstd", "1.5.6", "https://example.org/zstd"),
            ("host-zstd", "1.4.0", "https://example.org/zstd"),
        ]);
    }

    [Fact]
    public void The_version_folder_hash_file_wins_when_it_exists()
    {
        string manifest = Write("linux-firmware", "LINUX_FIRMWARE_VERSION = 20240312\nLINUX_FIRMWARE_SITE = https://example.org\n$(eval $(generic-package))\n");
        _folder.WriteFile("linux-firmware/linux-firmware.hash", "# top level\n");
        string versioned = _folder.WriteFile("linux-firmware/20240312/linux-firmware.hash", "# per version\n");

        Read(manifest).ShouldHaveSingleItem().Metadata["HashFiles"].ShouldBe(versioned);
    }

    [Fact]
    public void A_site_built_from_an_unknown_mirror_variable_is_left_unset_with_a_warning_naming_file_and_line()
    {
        string manifest = Write("make", "MAKE_VERSION = 4.4.1\nMAKE_SOURCE = make-$(MAKE_VERSION).tar.gz\nMAKE_SITE = $(BR2_GNU_MIRROR)/make\n$(eval $(autotools-package))\n");

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Metadata.ContainsKey("Site").ShouldBeFalse();
        package.Metadata["Version"].ShouldBe("4.4.1");
        (string code, string text) = _log.Warnings.ShouldHaveSingleItem();
        code.ShouldBe(MessageCodes.ManifestConstructNotUnderstood);
        text.ShouldContain($"{manifest}:{Banner.Count(c => c == '\n') + 3}: $(BR2_GNU_MIRROR) is not defined in make.mk");
        text.ShouldContain("Site is left unset");
    }

    [Fact]
    public void Variables_given_by_the_user_fill_in_what_the_configuration_would()
    {
        string manifest = Write("make", "MAKE_VERSION = 4.4.1\nMAKE_SITE = $(BR2_GNU_MIRROR)/make\n$(eval $(autotools-package))\n");

        ManifestPackage package = Read(manifest, new Dictionary<string, string> { ["BR2_GNU_MIRROR"] = "https://ftpmirror.gnu.org" }).ShouldHaveSingleItem();

        package.Metadata["Site"].ShouldBe("https://ftpmirror.gnu.org/make");
        _log.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Quotes_of_configuration_values_are_dropped_from_the_site_as_qstrip_does()
    {
        string manifest = Write("make", "MAKE_VERSION = 4.4.1\nMAKE_SITE = $(BR2_GNU_MIRROR)/make\n$(eval $(autotools-package))\n");

        ManifestPackage package = Read(manifest, new Dictionary<string, string> { ["BR2_GNU_MIRROR"] = "\"https://ftpmirror.gnu.org\"" }).ShouldHaveSingleItem();

        package.Metadata["Site"].ShouldBe("https://ftpmirror.gnu.org/make");
    }

    [Fact]
    public void A_version_that_depends_on_the_configuration_skips_the_package_with_a_warning()
    {
        string manifest = Write("linux", "LINUX_VERSION = $(call qstrip,$(BR2_LINUX_KERNEL_VERSION))\nLINUX_SITE = https://cdn.kernel.org/pub/linux/kernel\n$(eval $(kconfig-package))\n");

        Read(manifest).ShouldBeEmpty();
        string warning = _log.Warnings.ShouldHaveSingleItem().Text;
        warning.ShouldContain($"{manifest}:{Banner.Count(c => c == '\n') + 1}: $(BR2_LINUX_KERNEL_VERSION) is not defined");
        warning.ShouldContain("LINUX_VERSION depends on it, so package 'linux' is skipped");
    }

    [Fact]
    public void A_condition_decided_by_the_file_itself_is_followed()
    {
        string manifest = Write("foo", """
            FOO_VERSION = 2.0
            ifeq ($(FOO_VERSION),1.0)
            FOO_SOURCE = foo-old.tar.bz2
            else
            FOO_SOURCE = foo-$(FOO_VERSION).tar.xz
            endif
            FOO_SITE = https://example.org/foo
            $(eval $(generic-package))
            """);

        Read(manifest).ShouldHaveSingleItem().Metadata["Source"].ShouldBe("foo-2.0.tar.xz");
        _log.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void A_patch_list_changed_under_an_undecidable_condition_skips_the_package_naming_the_condition()
    {
        string manifest = Write("foo", """
            FOO_VERSION = 2.0
            FOO_SITE = https://example.org/foo
            FOO_PATCH = https://example.org/fix-1.patch
            ifeq ($(BR2_PACKAGE_FOO_EXPERIMENTAL),y)
            FOO_PATCH += https://example.org/experimental.patch
            endif
            $(eval $(generic-package))
            """);

        Read(manifest).ShouldBeEmpty();
        string warning = _log.Warnings.ShouldHaveSingleItem().Text;
        int first = Banner.Count(c => c == '\n') + 1;
        warning.ShouldContain($"{manifest}:{first + 4}: FOO_PATCH depends on a condition this reader cannot decide: 'ifeq ($(BR2_PACKAGE_FOO_EXPERIMENTAL),y)' (line {first + 3})");
        warning.ShouldContain("package 'foo' is skipped");
    }

    [Fact]
    public void Constructs_that_could_define_anything_are_warned_about()
    {
        string manifest = Write("foo", "FOO_VERSION = 1.0\ninclude $(pkgdir)/common.mk\n$(eval $(call foo-variant,bar))\n$(eval $(generic-package))\n");

        Read(manifest).ShouldHaveSingleItem();
        _log.Warnings.Select(w => w.Code).ShouldAllBe(code => code == MessageCodes.ManifestConstructNotUnderstood);
        _log.Warnings.Select(w => w.Text).ShouldBe(
        [
            $"{manifest}:{Banner.Count(c => c == '\n') + 2}: 'include $(pkgdir)/common.mk' is not followed: what the included file sets is unknown here.",
            $"{manifest}:{Banner.Count(c => c == '\n') + 3}: '$(eval $(call foo-variant,bar))' is not evaluated: what it defines is unknown here.",
        ]);
    }

    [Theory]
    [InlineData("TRANSIENT_DOWNLOAD", "yes", "TransientDownload", "false")]
    [InlineData("TRANSIENT_DOWNLOAD", "YES", "TransientDownload", "true")]
    [InlineData("REDISTRIBUTE", "NO", "Redistribute", "false")]
    [InlineData("SVN_EXTERNALS", "YES", "SvnExternals", "true")]
    [InlineData("GIT_SUBMODULES", "NO", "GitSubmodules", "true")]
    public void Yes_no_variables_mean_what_they_mean_to_Buildroot(string suffix, string value, string metadata, string expected)
    {
        string manifest = Write("foo", $"FOO_VERSION = 1.0\nFOO_{suffix} = {value}\n$(eval $(generic-package))\n");

        Read(manifest).ShouldHaveSingleItem().Metadata[metadata].ShouldBe(expected);
        _log.Warnings.Count.ShouldBe(value is "YES" or "NO" && suffix != "GIT_SUBMODULES" ? 0 : 1, _log.Transcript);
    }

    [Fact]
    public void Variable_prefixes_turn_dashes_and_dots_into_underscores()
    {
        string manifest = Write("python-foo.bar", "PYTHON_FOO_BAR_VERSION = 3.1\n$(eval $(python-package))\n");

        Read(manifest).ShouldHaveSingleItem().Metadata["Version"].ShouldBe("3.1");
    }

    [Fact]
    public void Download_options_extra_downloads_and_subdir_are_carried()
    {
        string manifest = Write("qt5base", """
            QT5BASE_VERSION = 5.15.14
            QT5BASE_SITE = https://download.qt.io/archive/qt/5.15/$(QT5BASE_VERSION)/submodules
            QT5BASE_SOURCE = qtbase-everywhere-opensource-src-$(QT5BASE_VERSION).tar.xz
            QT5BASE_EXTRA_DOWNLOADS = qt-data-$(QT5BASE_VERSION).tar.xz \
            	https://example.org/extra/qt-fonts.tar.gz
            QT5BASE_DL_SUBDIR = qt5
            QT5BASE_DL_OPTS = --header "X-Mirror: eu"
            $(eval $(generic-package))
            """);

        ManifestPackage package = Read(manifest).ShouldHaveSingleItem();

        package.Metadata["ExtraDownloads"].ShouldBe("qt-data-5.15.14.tar.xz;https://example.org/extra/qt-fonts.tar.gz");
        package.Metadata["DlSubdir"].ShouldBe("qt5");
        package.Metadata["DlOpts"].ShouldBe("--header \"X-Mirror: eu\"");
        PackageSpecFactory.Create(package.Name, package.Metadata, _folder.Path).DlOpts.ShouldBe(["--header", "X-Mirror: eu"]);
    }

    [Fact]
    public void Download_hooks_and_other_download_environment_are_warned_about()
    {
        string manifest = Write("foo", "FOO_VERSION = 1.0\nFOO_DL_ENV = GOPROXY=off\nFOO_POST_DOWNLOAD_HOOKS += FOO_FETCH_MORE\n$(eval $(generic-package))\n");

        Read(manifest).ShouldHaveSingleItem();
        _log.Warnings.Select(w => w.Text).ShouldSatisfyAllConditions(
            warnings => warnings.ShouldContain(w => w.Contains("FOO_DL_ENV sets 'GOPROXY=off'", StringComparison.Ordinal)),
            warnings => warnings.ShouldContain(w => w.Contains("FOO_POST_DOWNLOAD_HOOKS (FOO_FETCH_MORE) is not run", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_package_declared_under_an_undecidable_condition_is_read_with_a_warning()
    {
        string manifest = Write("foo", "FOO_VERSION = 1.0\nifdef BR2_PACKAGE_FOO\n$(eval $(generic-package))\nendif\n");

        Read(manifest).ShouldHaveSingleItem().Name.ShouldBe("foo");
        _log.Warnings.ShouldHaveSingleItem().Text.ShouldContain("'ifdef BR2_PACKAGE_FOO'");
    }

    [Fact]
    public void An_infrastructure_with_download_defaults_of_its_own_is_warned_about()
    {
        string manifest = Write("lua-cjson", "LUA_CJSON_VERSION = 2.1.0-1\n$(eval $(luarocks-package))\n");

        Read(manifest).ShouldHaveSingleItem();
        _log.Warnings.ShouldHaveSingleItem().Text.ShouldContain("luarocks-package is not an infrastructure this reader knows");
    }

    [Fact]
    public void A_virtual_package_has_nothing_to_download()
    {
        string manifest = Write("jpeg", "$(eval $(virtual-package))\n$(eval $(host-virtual-package))\n");

        Read(manifest).ShouldBeEmpty();
        _log.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void A_manifest_without_package_is_warned_about()
    {
        string manifest = Write("x11r7", "include $(sort $(wildcard package/x11r7/*/*.mk))\n");

        Read(manifest).ShouldBeEmpty();
        _log.Warnings.Select(w => w.Code).ShouldContain(MessageCodes.ManifestWithoutPackage);
    }

    [Fact]
    public void An_unreadable_manifest_is_an_error_naming_it()
    {
        string manifest = _folder.Combine("broken.mk");
        Directory.CreateDirectory(manifest);

        var error = Should.Throw<BrdlException>(() => ManifestReader.Read(manifest, new Dictionary<string, string>(), _log));

        error.Code.ShouldBe(MessageCodes.ManifestUnreadable);
        error.Message.ShouldContain(manifest);
    }

    private string Write(string name, string body) =>
        _folder.WriteFile($"{name}/{name}.mk", string.Format(System.Globalization.CultureInfo.InvariantCulture, Banner, name) + body.ReplaceLineEndings("\n") + "\n");

    private ManifestPackage[] Read(string manifest, Dictionary<string, string>? variables = null) =>
        [.. ManifestReader.Read(manifest, variables ?? [], _log)];
}
