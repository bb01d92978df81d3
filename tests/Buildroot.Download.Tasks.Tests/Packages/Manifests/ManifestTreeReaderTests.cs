using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Packages.Manifests;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Packages.Manifests;

/// <summary>
/// Manifests read as Buildroot reads them: one namespace, the infrastructures' defaults, host
/// packages, and a warning only where a download-related value cannot be known.
/// </summary>
public sealed class ManifestTreeReaderTests : IDisposable
{
    private const string Banner = "################################################################################\n#\n# {0}\n#\n################################################################################\n\n";
    private const int BannerLines = 6;

    private readonly TemporaryFolder _folder = new("manifests");
    private readonly RecordingLog _log = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_github_hosted_autotools_package_reads_like_Buildroot_sees_it_without_any_warning()
    {
        string manifest = Write("libfoo", """
            LIBFOO_VERSION = 1.2.3
            LIBFOO_SITE = $(call github,foo-project,libfoo,v$(LIBFOO_VERSION))
            LIBFOO_LICENSE = LGPL-2.1+
            LIBFOO_LICENSE_FILES = COPYING COPYING.LIB
            LIBFOO_INSTALL_STAGING = YES
            LIBFOO_DEPENDENCIES = host-pkgconf zlib
            LIBFOO_CONF_OPTS = --disable-static

            ifeq ($(BR2_PACKAGE_OPENSSL),y)
            LIBFOO_DEPENDENCIES += openssl
            LIBFOO_CONF_OPTS += --with-openssl $(TARGET_CFLAGS)
            else
            LIBFOO_CONF_OPTS += --without-openssl
            endif

            define LIBFOO_INSTALL_INIT_SYSV
            	$(INSTALL) -D -m 0755 $(LIBFOO_PKGDIR)/S50libfoo $(TARGET_DIR)/etc/init.d/S50libfoo
            endef

            $(eval $(autotools-package))
            """);
        _folder.WriteFile("package/libfoo/libfoo.hash", "# Locally computed\n");

        ManifestPackage package = Read(manifest).Packages.ShouldHaveSingleItem();

        package.Name.ShouldBe("libfoo");
        package.DefiningManifest.ShouldBe(manifest);
        package.Metadata.ShouldBe(new Dictionary<string, string>
        {
            ["Version"] = "1.2.3",
            ["Site"] = "https://github.com/foo-project/libfoo/archive/v1.2.3",
            ["Source"] = "libfoo-1.2.3.tar.gz",
            ["DlSubdir"] = "libfoo",
            ["License"] = "LGPL-2.1+",
            ["LicenseFiles"] = "COPYING;COPYING.LIB",
            ["Redistribute"] = "true",
            ["HashFiles"] = _folder.Combine("package", "libfoo", "libfoo.hash"),
        }, ignoreOrder: true);
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void Values_defined_in_another_manifest_are_seen_as_make_sees_them()
    {
        Write("qt5", "QT5_VERSION_MAJOR = 5.15\nQT5_VERSION = $(QT5_VERSION_MAJOR).16\nQT5_SITE = https://download.qt.io/archive/qt/$(QT5_VERSION_MAJOR)/$(QT5_VERSION)/submodules\ninclude $(sort $(wildcard package/qt5/*/*.mk))\n");
        string qt5base = WriteAt("package/qt5/qt5base/qt5base.mk", "QT5BASE_VERSION = $(QT5_VERSION)\nQT5BASE_SITE = $(QT5_SITE)\nQT5BASE_SOURCE = qtbase-everywhere-opensource-src-$(QT5BASE_VERSION).tar.xz\n$(eval $(qmake-package))\n");
        string llvm = Write("llvm-project", "LLVM_PROJECT_VERSION_MAJOR = 19\nLLVM_PROJECT_VERSION = $(LLVM_PROJECT_VERSION_MAJOR).1.7\ninclude $(sort $(wildcard package/llvm-project/*/*.mk))\n");
        string clang = WriteAt("package/llvm-project/clang/clang.mk", "CLANG_VERSION = $(LLVM_PROJECT_VERSION)\nCLANG_SITE = https://github.com/llvm/llvm-project/releases/download/llvmorg-$(CLANG_VERSION)\nCLANG_SOURCE = clang-$(CLANG_VERSION).src.tar.xz\n$(eval $(cmake-package))\n");

        // Given in any order, and the nested manifest given too: read once, where qt5.mk includes it.
        ManifestTree tree = Read(clang, qt5base, _folder.Combine("package", "qt5", "qt5.mk"), llvm);

        Metadata(tree, "qt5base", "Site").ShouldBe("https://download.qt.io/archive/qt/5.15/5.15.16/submodules");
        Metadata(tree, "qt5base", "Source").ShouldBe("qtbase-everywhere-opensource-src-5.15.16.tar.xz");
        Metadata(tree, "clang", "Version").ShouldBe("19.1.7");
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_variable_the_infrastructure_sets_is_seen_by_the_manifest()
    {
        string manifest = Write("pru-software-support", "PRU_SOFTWARE_SUPPORT_VERSION = 6.0.1\nPRU_SOFTWARE_SUPPORT_SITE = https://git.ti.com/snapshot\nPRU_SOFTWARE_SUPPORT_SOURCE = $(PRU_SOFTWARE_SUPPORT_NAME)-package-v$(PRU_SOFTWARE_SUPPORT_VERSION).tar.gz\n$(eval $(generic-package))\n$(eval $(host-generic-package))\n");

        ManifestTree tree = Read(manifest);

        Metadata(tree, "pru-software-support", "Source").ShouldBe("pru-software-support-package-v6.0.1.tar.gz");
        tree.SameDownloadAs["host-pru-software-support"].ShouldBe("pru-software-support");
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Theory]
    [InlineData("generic", "foo-1.0.tar.gz", "")]
    [InlineData("autotools", "foo-1.0.tar.gz", "")]
    [InlineData("cmake", "foo-1.0.tar.gz", "")]
    [InlineData("meson", "foo-1.0.tar.gz", "")]
    [InlineData("kconfig", "foo-1.0.tar.gz", "")]
    [InlineData("waf", "foo-1.0.tar.gz", "")]
    [InlineData("qmake", "foo-1.0.tar.gz", "")]
    [InlineData("perl", "foo-1.0.tar.gz", "")]
    [InlineData("rebar", "foo-1.0.tar.gz", "")]
    [InlineData("hare", "foo-1.0.tar.gz", "")]
    [InlineData("cargo", "foo-1.0-cargo6.tar.gz", "cargo")]
    [InlineData("golang", "foo-1.0-go2.tar.gz", "go")]
    public void Each_infrastructure_gives_Buildroots_default_source_and_post_process(string infrastructure, string source, string postProcess)
    {
        string manifest = Write("foo", $"FOO_VERSION = 1.0\nFOO_SITE = https://example.org/foo\nFOO_SETUP_TYPE = setuptools\n$(eval $({infrastructure}-package))\n");

        PackageSpec spec = Spec(Read(manifest), "foo");

        (spec.Source, spec.DownloadPostProcess ?? string.Empty, spec.SiteMethod, spec.BuildrootMethod).ShouldBe((source, postProcess, "wget", "https"));
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Theory]
    [InlineData("setuptools", "python-foo-1.0.tar.gz", null)]
    [InlineData("pep517", "python-foo-1.0.tar.gz", null)]
    [InlineData("flit", "python-foo-1.0.tar.gz", null)]
    [InlineData("hatch", "python-foo-1.0.tar.gz", null)]
    [InlineData("poetry", "python-foo-1.0.tar.gz", null)]
    [InlineData("maturin", "python-foo-1.0-cargo6.tar.gz", "Cargo.toml")]
    [InlineData("setuptools-rust", "python-foo-1.0-cargo6.tar.gz", "Cargo.toml")]
    public void Python_packages_built_with_pyo3_vendor_their_crates(string setupType, string source, string? cargoManifest)
    {
        string manifest = Write("python-foo", $"PYTHON_FOO_VERSION = 1.0\nPYTHON_FOO_SITE = https://files.pythonhosted.org/packages/ab/cd\nPYTHON_FOO_SETUP_TYPE = {setupType}\n$(eval $(python-package))\n");

        PackageSpec spec = Spec(Read(manifest), "python-foo");

        (spec.Source, spec.CargoManifest).ShouldBe((source, cargoManifest));
    }

    [Fact]
    public void A_python_package_names_the_cargo_manifest_to_vendor_from()
    {
        string bcrypt = Write("python-bcrypt", "PYTHON_BCRYPT_VERSION = 4.2.0\nPYTHON_BCRYPT_SOURCE = bcrypt-$(PYTHON_BCRYPT_VERSION).tar.gz\nPYTHON_BCRYPT_SITE = https://files.pythonhosted.org/packages/e4/7e\nPYTHON_BCRYPT_SETUP_TYPE = setuptools-rust\nPYTHON_BCRYPT_CARGO_MANIFEST_PATH = src/_bcrypt/Cargo.toml\n$(eval $(python-package))\n$(eval $(host-python-package))\n");
        string older = Write("python-cryptography", "PYTHON_CRYPTOGRAPHY_VERSION = 42.0.5\nPYTHON_CRYPTOGRAPHY_SITE = https://files.pythonhosted.org/packages/13/9e\nPYTHON_CRYPTOGRAPHY_SETUP_TYPE = maturin\nPYTHON_CRYPTOGRAPHY_DL_ENV = BR_CARGO_MANIFEST_PATH=src/rust/Cargo.toml\n$(eval $(python-package))\n");

        ManifestTree tree = Read(bcrypt, older);

        Spec(tree, "python-bcrypt").CargoManifest.ShouldBe("src/_bcrypt/Cargo.toml");
        Spec(tree, "python-bcrypt").Source.ShouldBe("bcrypt-4.2.0.tar.gz");
        Spec(tree, "python-cryptography").CargoManifest.ShouldBe("src/rust/Cargo.toml");
        tree.Packages.Select(p => p.Name).ShouldNotContain("host-python-bcrypt"); // same download as the target package
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void Cargo_and_golang_packages_vendor_from_their_sub_folder_and_say_so_in_the_license()
    {
        string ripgrep = Write("ripgrep", "RIPGREP_VERSION = 14.1.0\nRIPGREP_SITE = $(call github,BurntSushi,ripgrep,$(RIPGREP_VERSION))\nRIPGREP_LICENSE = MIT\nRIPGREP_SUBDIR = crates/core\n$(eval $(cargo-package))\n");
        string gotool = Write("gotool", "GOTOOL_VERSION = 1.0\nGOTOOL_SITE = $(call github,acme,gotool,v$(GOTOOL_VERSION))\nGOTOOL_SUBDIR = cmd/gotool\n$(eval $(golang-package))\n");

        ManifestTree tree = Read(ripgrep, gotool);

        Spec(tree, "ripgrep").CargoManifest.ShouldBe("crates/core/Cargo.toml");
        Spec(tree, "ripgrep").License.ShouldBe("MIT , vendored dependencies licenses probably not listed"); // make's += adds the blank
        Spec(tree, "gotool").GoSubdir.ShouldBe("cmd/gotool");
        Spec(tree, "gotool").Source.ShouldBe("gotool-1.0-go2.tar.gz");
    }

    [Fact]
    public void Luarocks_packages_fetch_the_src_rock_from_the_luarocks_mirror()
    {
        string cjson = Write("lua-cjson", "LUA_CJSON_VERSION = 2.1.0.10-1\nLUA_CJSON_LICENSE = MIT\n$(eval $(luarocks-package))\n");
        string cliargs = Write("lua-cliargs", "LUA_CLIARGS_VERSION = 3.0-2\nLUA_CLIARGS_NAME_UPSTREAM = lua_cliargs\n$(eval $(luarocks-package))\n");

        ManifestTree tree = Read([cjson, cliargs], new() { ["BR2_LUAROCKS_MIRROR"] = "\"http://rocks.moonscript.org\"" });

        (Spec(tree, "lua-cjson").Source, Spec(tree, "lua-cjson").Site).ShouldBe(("lua-cjson-2.1.0.10-1.src.rock", "http://rocks.moonscript.org"));
        Spec(tree, "lua-cliargs").Source.ShouldBe("lua-cliargs-3.0-2.src.rock"); // Buildroot's LOWERCASE turns _ into -
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_host_package_takes_its_own_values_first_and_the_target_packages_otherwise()
    {
        string manifest = Write("zstd", "ZSTD_VERSION = 1.5.6\nHOST_ZSTD_VERSION = 1.4.0\nZSTD_SITE = https://example.org/zstd\nZSTD_EXTRA_DOWNLOADS = extra.tar.gz\n$(eval $(generic-package))\n$(eval $(host-generic-package))\n");
        string genimage = Write("genimage", "GENIMAGE_VERSION = 17\nGENIMAGE_SOURCE = genimage-$(GENIMAGE_VERSION).tar.xz\nGENIMAGE_SITE = https://github.com/pengutronix/genimage/releases/download/v$(GENIMAGE_VERSION)\n$(eval $(host-autotools-package))\n");

        ManifestTree tree = Read(manifest, genimage);

        Spec(tree, "zstd").ExtraDownloads.ShouldBe(["extra.tar.gz"]);
        // As in Buildroot: the target package's (default) source was defined first, and the host package inherits it.
        (Spec(tree, "host-zstd").Version, Spec(tree, "host-zstd").Source, Spec(tree, "host-zstd").Site).ShouldBe(("1.4.0", "zstd-1.5.6.tar.gz", "https://example.org/zstd"));
        Spec(tree, "host-zstd").ExtraDownloads.ShouldBeEmpty(); // Buildroot does not inherit extra downloads
        (Spec(tree, "host-genimage").Source, Spec(tree, "host-genimage").DlSubdir).ShouldBe(("genimage-17.tar.xz", "genimage"));
    }

    [Fact]
    public void Packages_without_downloads_are_accepted_as_Buildroot_accepts_them()
    {
        string skeleton = Write("skeleton", "SKELETON_ADD_TOOLCHAIN_DEPENDENCY = NO\nSKELETON_DEPENDENCIES = skeleton-init-none\n$(eval $(generic-package))\n$(eval $(host-generic-package))\n");
        string jpeg = Write("jpeg", "$(eval $(virtual-package))\n$(eval $(host-virtual-package))\n");
        string headers = Write("musl-compat-headers", "MUSL_COMPAT_HEADERS_QUEUE_H = https://example.org/sys/queue.h\nMUSL_COMPAT_HEADERS_EXTRA_DOWNLOADS = $(MUSL_COMPAT_HEADERS_QUEUE_H)\n$(eval $(generic-package))\n");

        ManifestTree tree = Read(skeleton, jpeg, headers);

        tree.NothingToDownload.Keys.Order(StringComparer.Ordinal).ShouldBe(["host-jpeg", "host-skeleton", "jpeg", "skeleton"]);
        tree.NothingToDownload["skeleton"].ShouldBe(["skeleton-init-none"]);
        PackageSpec onlyExtra = Spec(tree, "musl-compat-headers");
        (onlyExtra.Source, onlyExtra.Version).ShouldBe((string.Empty, string.Empty));
        onlyExtra.ExtraDownloads.ShouldBe(["https://example.org/sys/queue.h"]);
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
        _log.Errors.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_site_without_a_scheme_is_fetched_by_wget_as_Buildroot_does()
    {
        string manifest = Write("libutempter", "LIBUTEMPTER_VERSION = 1.2.1\nLIBUTEMPTER_SITE = ftp.altlinux.org/pub/people/ldv/utempter\n$(eval $(generic-package))\n");

        PackageSpec spec = Spec(Read(manifest), "libutempter");

        (spec.SiteMethod, spec.BuildrootMethod, spec.Site).ShouldBe(("wget", "ftp.altlinux.org/pub/people/ldv/utempter", "ftp.altlinux.org/pub/people/ldv/utempter"));
    }

    [Fact]
    public void The_archive_suffixes_follow_the_trees_own_pkg_download_mk()
    {
        WriteAt("package/pkg-generic.mk", "# the infrastructure\n");
        WriteAt("package/pkg-download.mk", "BR_FMT_VERSION_git = -br1\nBR_FMT_VERSION_svn = -br2\nDL_DIR := $(shell mkdir -p $(DL_DIR) && pwd)\n");
        string tool = Write("tool", "TOOL_VERSION = v1\nTOOL_SITE = https://git.example.org/tool.git\nTOOL_SITE_METHOD = git\n$(eval $(generic-package))\n");
        string crate = Write("crate", "CRATE_VERSION = 1.0\nCRATE_SITE = https://example.org\n$(eval $(cargo-package))\n");

        ManifestTree tree = Read(tool, crate);

        Spec(tree, "tool").Source.ShouldBe("tool-v1-br1.tar.gz");
        Spec(tree, "crate").Source.ShouldBe("crate-1.0.tar.gz"); // 2024.02 had no suffix for cargo archives
    }

    [Fact]
    public void A_tree_without_pkg_download_mk_gets_the_current_names()
    {
        string tool = Write("tool", "TOOL_VERSION = v1\nTOOL_SITE = https://git.example.org/tool.git\nTOOL_SITE_METHOD = git\nTOOL_DOWNLOAD_POST_PROCESS = cargo\n$(eval $(generic-package))\n");

        Spec(Read(tool), "tool").Source.ShouldBe("tool-v1-git4-cargo6.tar.gz");
    }

    [Fact]
    public void A_package_whose_download_needs_the_configuration_is_left_out_with_one_warning_naming_file_and_line()
    {
        string manifest = Write("linux", "LINUX_VERSION = $(call qstrip,$(BR2_LINUX_KERNEL_VERSION))\nLINUX_SITE = $(BR2_KERNEL_MIRROR)/linux/kernel\nLINUX_PATCH = $(BR2_LINUX_KERNEL_PATCH)\n$(eval $(kconfig-package))\n");

        ManifestTree tree = Read(manifest);

        tree.Packages.ShouldBeEmpty();
        LeftOutPackage left = tree.LeftOut.ShouldHaveSingleItem();
        left.Location.ShouldBe(new SourceLocation(manifest, BannerLines + 1));
        (string code, string text) = _log.Warnings.ShouldHaveSingleItem();
        code.ShouldBe(MessageCodes.ManifestConstructNotUnderstood);
        text.ShouldStartWith("Package 'linux' is left out");
        text.ShouldContain($"{manifest}:{BannerLines + 1}: $(BR2_LINUX_KERNEL_VERSION) is not defined");
        text.ShouldContain($"{manifest}:{BannerLines + 2}: $(BR2_KERNEL_MIRROR) is not defined");
        text.ShouldContain($"{manifest}:{BannerLines + 3}: $(BR2_LINUX_KERNEL_PATCH) is not defined");
        _log.Locations.ShouldBe([new SourceLocation(manifest, BannerLines + 1)]);
    }

    [Fact]
    public void A_configuration_dependent_license_keeps_the_package_and_warns_once()
    {
        string manifest = Write("foo", "FOO_VERSION = 1.0\nFOO_SITE = https://example.org\nFOO_LICENSE = GPL-2.0\nifeq ($(BR2_PACKAGE_FOO_TOOLS),y)\nFOO_LICENSE += , BSD-3-Clause\nendif\n$(eval $(generic-package))\n$(eval $(host-generic-package))\n");

        ManifestTree tree = Read(manifest);

        tree.Packages.ShouldHaveSingleItem().Metadata.ContainsKey("License").ShouldBeFalse();
        tree.SameDownloadAs["host-foo"].ShouldBe("foo");
        _log.Warnings.ShouldHaveSingleItem().Text.ShouldContain("Package 'foo' is read, but not everything about it can be known (FOO_LICENSE left unset)");
    }

    [Fact]
    public void Constructs_that_change_no_download_value_give_no_warning()
    {
        string manifest = Write("foo", """
            FOO_VERSION = 1.0
            FOO_SITE = https://example.org/foo
            FOO_CONF_OPTS = $(if $(BR2_PACKAGE_BAR),--with-bar,--without-bar) $(shell uname -m)
            FOO_MAKE_ENV = $(TARGET_MAKE_ENV) CC="$(TARGET_CC)"
            FOO_TOOLS_$(BR2_PACKAGE_FOO_TOOL) += tool
            ifeq ($(BR2_PACKAGE_FOO_X),y)
            FOO_DEPENDENCIES += x
            define FOO_INSTALL_X
            	$(INSTALL) -m 0755 $(@D)/x $(TARGET_DIR)/usr/bin/x
            endef
            FOO_POST_INSTALL_TARGET_HOOKS += FOO_INSTALL_X
            endif
            FOO_LICENSE_FILES = COPYING
            $(eval $(meson-package))
            $(eval $(kernel-module))
            """);

        Read(manifest).Packages.ShouldHaveSingleItem();
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_condition_decided_by_the_file_itself_is_followed()
    {
        string manifest = Write("foo", "FOO_VERSION = 2.0\nifeq ($(FOO_VERSION),1.0)\nFOO_SOURCE = foo-old.tar.bz2\nelse\nFOO_SOURCE = foo-$(FOO_VERSION).tar.xz\nendif\nFOO_SITE = https://example.org/foo\n$(eval $(generic-package))\n");

        Metadata(Read(manifest), "foo", "Source").ShouldBe("foo-2.0.tar.xz");
        _log.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("TRANSIENT_DOWNLOAD", "yes", "TransientDownload", "false")]
    [InlineData("TRANSIENT_DOWNLOAD", "YES", "TransientDownload", "true")]
    [InlineData("REDISTRIBUTE", "NO", "Redistribute", "false")]
    [InlineData("SVN_EXTERNALS", "YES", "SvnExternals", "true")]
    public void Yes_no_variables_mean_what_they_mean_to_Buildroot(string suffix, string value, string metadata, string expected)
    {
        string manifest = Write("foo", $"FOO_VERSION = 1.0\nFOO_SITE = svn://example.org/foo\nFOO_{suffix} = {value}\n$(eval $(generic-package))\n");

        Metadata(Read(manifest), "foo", metadata).ShouldBe(expected);
    }

    [Fact]
    public void Download_options_extra_downloads_and_subdir_are_carried_as_written()
    {
        string manifest = Write("qt5base", """
            QT5BASE_VERSION = 5.15.14
            QT5BASE_SITE = https://download.qt.io/archive/qt/5.15/$(QT5BASE_VERSION)/JOE%20sources
            QT5BASE_SOURCE = qtbase-everywhere-opensource-src-$(QT5BASE_VERSION).tar.xz
            QT5BASE_EXTRA_DOWNLOADS = qt-data-$(QT5BASE_VERSION).tar.xz \
            	https://example.org/extra/qt-fonts.tar.gz
            QT5BASE_DL_SUBDIR = qt5
            QT5BASE_DL_OPTS = --header "X-Mirror: eu"
            $(eval $(generic-package))
            """);

        ManifestPackage package = Read(manifest).Packages.ShouldHaveSingleItem();

        package.Metadata["Site"].ShouldBe("https://download.qt.io/archive/qt/5.15/5.15.14/JOE%20sources");
        package.Metadata["ExtraDownloads"].ShouldBe("qt-data-5.15.14.tar.xz;https://example.org/extra/qt-fonts.tar.gz");
        package.Metadata["DlSubdir"].ShouldBe("qt5");
        Spec(Read(manifest), "qt5base").DlOpts.ShouldBe(["--header", "X-Mirror: eu"]);
    }

    [Fact]
    public void Download_hooks_leave_the_package_out_and_other_download_environment_is_warned_about()
    {
        string hooks = Write("foo", "FOO_VERSION = 1.0\nFOO_SITE = https://example.org\nFOO_POST_DOWNLOAD_HOOKS += FOO_FETCH_MORE\n$(eval $(generic-package))\n");
        string env = Write("bar", "BAR_VERSION = 1.0\nBAR_SITE = https://example.org\nBAR_DL_ENV = GOPROXY=off\n$(eval $(generic-package))\n");

        ManifestTree tree = Read(hooks, env);

        tree.LeftOut.Select(p => p.Name).ShouldBe(["bar", "foo"], ignoreOrder: true);
        _log.Warnings.ShouldContain(w => w.Text.Contains("FOO_POST_DOWNLOAD_HOOKS (FOO_FETCH_MORE) is not run", StringComparison.Ordinal));
        _log.Warnings.ShouldContain(w => w.Text.Contains("BAR_DL_ENV sets 'GOPROXY=off'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_infrastructure_is_warned_about_with_its_line()
    {
        string manifest = Write("foo", "FOO_VERSION = 1.0\n$(eval $(frobnicate-package))\n");

        ManifestTree tree = Read(manifest);

        tree.Packages.ShouldBeEmpty();
        (string code, string text) = _log.Warnings.ShouldHaveSingleItem();
        code.ShouldBe(MessageCodes.ManifestConstructNotUnderstood);
        text.ShouldContain($"{manifest}:{BannerLines + 2}:");
        text.ShouldContain("$(frobnicate-package) is not defined");
    }

    [Fact]
    public void Package_infrastructure_files_and_shared_value_files_are_not_warned_about()
    {
        string generic = WriteAt("package/pkg-generic.mk", "define inner-generic-package\nendef\n");
        string qt5 = Write("qt5", "QT5_VERSION = 5.15.16\n");

        ManifestTree tree = Read(generic, qt5);

        tree.Packages.ShouldBeEmpty();
        _log.Warnings.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_package_declared_twice_is_an_error()
    {
        string first = WriteAt("a/package/foo/foo.mk", "FOO_VERSION = 1\nFOO_SITE = https://example.org\n$(eval $(generic-package))\n");
        string second = WriteAt("b/package/foo/foo.mk", "FOO_VERSION = 2\n$(eval $(generic-package))\n");

        ManifestTree tree = Read(first, second);

        tree.Packages.ShouldHaveSingleItem().DefiningManifest.ShouldBe(first);
        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.PackageDefinedTwice);
    }

    [Fact]
    public void A_package_declared_in_both_branches_of_an_undecided_condition_of_its_manifest_is_one_package()
    {
        // As boot/uboot/uboot.mk does for its two build systems (BR2_TARGET_UBOOT_BUILD_SYSTEM_*).
        string uboot = Write("uboot", """
            UBOOT_VERSION = 2024.01
            UBOOT_SITE = https://ftp.denx.de/pub/u-boot
            UBOOT_SOURCE = u-boot-$(UBOOT_VERSION).tar.bz2
            ifeq ($(BR2_TARGET_UBOOT_BUILD_SYSTEM_LEGACY),y)
            $(eval $(generic-package))
            else ifeq ($(BR2_TARGET_UBOOT_BUILD_SYSTEM_KCONFIG),y)
            $(eval $(kconfig-package))
            endif
            """);

        ManifestTree undecided = Read(uboot);

        // Left out once, saying what would decide it, as any package whose download cannot be known.
        _log.Errors.ShouldBeEmpty(_log.Transcript);
        undecided.Packages.ShouldBeEmpty();
        undecided.LeftOut.ShouldHaveSingleItem().Name.ShouldBe("uboot");
        _log.Warnings.ShouldHaveSingleItem().Text.ShouldContain("BR2_TARGET_UBOOT_BUILD_SYSTEM_LEGACY");

        ManifestTree decided = Read([uboot], new() { ["BR2_TARGET_UBOOT_BUILD_SYSTEM_LEGACY"] = string.Empty, ["BR2_TARGET_UBOOT_BUILD_SYSTEM_KCONFIG"] = "y" });

        decided.Packages.ShouldHaveSingleItem().DefiningManifest.ShouldBe(uboot);
        _log.Errors.ShouldBeEmpty(_log.Transcript);
    }

    [Fact]
    public void A_manifest_declaring_one_package_twice_with_no_condition_between_is_an_error()
    {
        string foo = Write("foo", "FOO_VERSION = 1\nFOO_SITE = https://example.org\n$(eval $(generic-package))\n$(eval $(generic-package))\n");

        Read(foo);

        _log.Errors.ShouldHaveSingleItem().Code.ShouldBe(MessageCodes.PackageDefinedTwice);
    }

    [Fact]
    public void An_unreadable_manifest_is_an_error_naming_it()
    {
        string manifest = _folder.Combine("package", "broken", "broken.mk");
        Directory.CreateDirectory(manifest);

        var error = Should.Throw<BrdlException>(() => ManifestTreeReader.Read([manifest], new Dictionary<string, string>(), _log));

        error.Code.ShouldBe(MessageCodes.ManifestUnreadable);
        error.Message.ShouldContain(manifest);
    }

    private string Write(string name, string body) => WriteAt($"package/{name}/{name}.mk", string.Format(System.Globalization.CultureInfo.InvariantCulture, Banner, name) + body.ReplaceLineEndings("\n") + "\n");

    private string WriteAt(string relative, string text) => _folder.WriteFile(relative, text);

    private ManifestTree Read(params string[] manifests) => Read(manifests, []);

    private ManifestTree Read(string[] manifests, Dictionary<string, string> variables) =>
        ManifestTreeReader.Read(manifests, variables, _log);

    private static string Metadata(ManifestTree tree, string package, string name) =>
        tree.Packages.Single(p => p.Name == package).Metadata[name];

    private PackageSpec Spec(ManifestTree tree, string package)
    {
        ManifestPackage found = tree.Packages.SingleOrDefault(p => p.Name == package) ?? throw new ShouldAssertException($"{package} not read: {_log.Transcript}");
        return PackageSpecFactory.Create(found.Name, found.Metadata, _folder.Path);
    }
}
