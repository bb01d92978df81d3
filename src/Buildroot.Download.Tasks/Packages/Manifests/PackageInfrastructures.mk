################################################################################
#
# Buildroot's package infrastructures, reduced to what decides a download.
#
# Written for this reader from the definition in Buildroot's package/pkg-*.mk
# (pkg-generic.mk, pkg-download.mk, pkg-utils.mk and each infrastructure's
# file): the same variables, set in the same order with the same ifdef/?=
# logic, so that $(eval $(foo-package)) leaves in the shared namespace what
# Buildroot's would, as far as downloads, legal information and dependencies
# go. Build steps, hooks and error checks are left out. The archive format
# suffixes (BR_FMT_VERSION_*) come from the tree's own pkg-download.mk when it
# has one (see ManifestTreeReader).
#
# $(call __brdl_declare,name,PREFIX,TARGET_PREFIX,type) records the package.
#
################################################################################

empty :=
space := $(empty) $(empty)
comma := ,
qstrip = $(strip $(subst ",,$(1)))
sanitize = $(subst $(space),_,$(subst :,_,$(subst /,_,$(strip $(1)))))

# URI helpers of pkg-download.mk
geturischeme = $(firstword $(subst ://, ,$(call qstrip,$(1))))
stripurischeme = $(lastword $(subst ://, ,$(call qstrip,$(1))))
domainseparator = $(if $(1),$(1),/)
domain = $(firstword $(subst $(call domainseparator,$(2)), ,$(call stripurischeme,$(1))))
notdomain = $(patsubst $(call domain,$(1),$(2))$(call domainseparator,$(2))%,%,$(call stripurischeme,$(1)))
github = https://github.com/$(1)/$(2)/archive/$(3)
gitlab = https://gitlab.com/$(1)/$(2)/-/archive/$(3)

# The default archive name's suffix: the format of the method's and the post-process's archives.
pkg_source_ext = $(BR_FMT_VERSION_$($(1)_SITE_METHOD))$(BR_FMT_VERSION_$($(1)_DOWNLOAD_POST_PROCESS)).tar.gz

################################################################################
# generic-package (pkg-generic.mk)
################################################################################

# For a target package ($(2) and $(3) are the same prefix) pkg-generic.mk's
# "ifndef FOO_X / ifdef FOO_X" inheritance blocks cannot apply: the target
# package gets a lean body with the same outcome; a host package the whole.
inner-generic-package = $(if $(filter host,$(4)),$(call inner-generic-host-package,$(1),$(2),$(3),$(4)),$(call inner-generic-target-package,$(1),$(2),$(3),$(4)))

define inner-generic-target-package
$(call __brdl_declare,$(1),$(2),$(3),$(4))
$(2)_TYPE = $(4)
$(2)_NAME = $(1)
$(2)_RAWNAME = $(1)
$(2)_PKGDIR = $(pkgdir)
ifdef $(2)_VERSION
$(2)_DL_VERSION := $$(strip $$($(2)_VERSION))
endif
$(2)_VERSION := $$(call sanitize,$$($(2)_DL_VERSION))
$(2)_BASENAME = $$(if $$($(2)_VERSION),$(1)-$$($(2)_VERSION),$(1))
$(2)_BASENAME_RAW = $$(if $$($(2)_VERSION),$$($(2)_RAWNAME)-$$($(2)_VERSION),$$($(2)_RAWNAME))
ifndef $(2)_DL_SUBDIR
$(2)_DL_SUBDIR = $$($(2)_RAWNAME)
endif
ifndef $(2)_SOURCE
ifdef $(2)_VERSION
$(2)_SOURCE ?= $$($(2)_BASENAME_RAW)$$(call pkg_source_ext,$(2))
endif
endif
ifndef $(2)_SITE_METHOD
$(2)_SITE_METHOD = $$(call geturischeme,$$($(2)_SITE))
endif
$(2)_LICENSE ?= unknown
$(2)_REDISTRIBUTE ?= YES
endef

define inner-generic-host-package
$(call __brdl_declare,$(1),$(2),$(3),$(4))
$(2)_TYPE = $(4)
$(2)_NAME = $(1)
$(2)_RAWNAME = $$(patsubst host-%,%,$(1))
$(2)_PKGDIR = $(pkgdir)

ifndef $(2)_VERSION
 ifdef $(3)_DL_VERSION
  $(2)_DL_VERSION := $$($(3)_DL_VERSION)
 else ifdef $(3)_VERSION
  $(2)_DL_VERSION := $$($(3)_VERSION)
 endif
else
 $(2)_DL_VERSION := $$(strip $$($(2)_VERSION))
endif
$(2)_VERSION := $$(call sanitize,$$($(2)_DL_VERSION))

$(2)_BASENAME = $$(if $$($(2)_VERSION),$(1)-$$($(2)_VERSION),$(1))
$(2)_BASENAME_RAW = $$(if $$($(2)_VERSION),$$($(2)_RAWNAME)-$$($(2)_VERSION),$$($(2)_RAWNAME))

ifndef $(2)_SUBDIR
 ifdef $(3)_SUBDIR
  $(2)_SUBDIR = $$($(3)_SUBDIR)
 endif
endif

ifndef $(2)_DL_SUBDIR
 ifdef $(3)_DL_SUBDIR
  $(2)_DL_SUBDIR = $$($(3)_DL_SUBDIR)
 else
  $(2)_DL_SUBDIR = $$($(2)_RAWNAME)
 endif
endif

ifndef $(2)_DOWNLOAD_DEPENDENCIES
 ifdef $(3)_DOWNLOAD_DEPENDENCIES
  $(2)_DOWNLOAD_DEPENDENCIES = $$(filter-out $(1),$$($(3)_DOWNLOAD_DEPENDENCIES))
 endif
endif

ifndef $(2)_DL_ENV
 ifdef $(3)_DL_ENV
  $(2)_DL_ENV = $$($(3)_DL_ENV)
 endif
endif

ifndef $(2)_DOWNLOAD_POST_PROCESS
 ifdef $(3)_DOWNLOAD_POST_PROCESS
  $(2)_DOWNLOAD_POST_PROCESS = $$($(3)_DOWNLOAD_POST_PROCESS)
 endif
endif

ifndef $(2)_SOURCE
 ifdef $(3)_SOURCE
  $(2)_SOURCE = $$($(3)_SOURCE)
 else ifdef $(2)_VERSION
  $(2)_SOURCE ?= $$($(2)_BASENAME_RAW)$$(call pkg_source_ext,$(2))
 endif
endif

ifndef $(2)_PATCH
 ifdef $(3)_PATCH
  $(2)_PATCH = $$($(3)_PATCH)
 endif
endif

ifndef $(2)_SITE
 ifdef $(3)_SITE
  $(2)_SITE = $$($(3)_SITE)
 endif
endif

ifndef $(2)_SITE_METHOD
 ifdef $(3)_SITE_METHOD
  $(2)_SITE_METHOD = $$($(3)_SITE_METHOD)
 else
  $(2)_SITE_METHOD = $$(call geturischeme,$$($(2)_SITE))
 endif
endif

ifndef $(2)_DL_OPTS
 ifdef $(3)_DL_OPTS
  $(2)_DL_OPTS = $$($(3)_DL_OPTS)
 endif
endif

ifndef $(2)_GIT_SUBMODULES
 ifdef $(3)_GIT_SUBMODULES
  $(2)_GIT_SUBMODULES = $$($(3)_GIT_SUBMODULES)
 endif
endif

ifndef $(2)_SVN_EXTERNALS
 ifdef $(3)_SVN_EXTERNALS
  $(2)_SVN_EXTERNALS = $$($(3)_SVN_EXTERNALS)
 endif
endif

ifndef $(2)_LICENSE
 ifdef $(3)_LICENSE
  $(2)_LICENSE = $$($(3)_LICENSE)
 endif
endif
$(2)_LICENSE ?= unknown

ifndef $(2)_LICENSE_FILES
 ifdef $(3)_LICENSE_FILES
  $(2)_LICENSE_FILES = $$($(3)_LICENSE_FILES)
 endif
endif

# For the SBOM's CPE (pkg-generic.mk: a host package takes the target package's parts).
ifndef $(2)_CPE_ID_VENDOR
 ifdef $(3)_CPE_ID_VENDOR
  $(2)_CPE_ID_VENDOR = $$($(3)_CPE_ID_VENDOR)
 endif
endif

ifndef $(2)_CPE_ID_PRODUCT
 ifdef $(3)_CPE_ID_PRODUCT
  $(2)_CPE_ID_PRODUCT = $$($(3)_CPE_ID_PRODUCT)
 endif
endif

ifndef $(2)_CPE_ID_VERSION
 ifdef $(3)_CPE_ID_VERSION
  $(2)_CPE_ID_VERSION = $$($(3)_CPE_ID_VERSION)
 endif
endif

ifndef $(2)_CPE_ID_UPDATE
 ifdef $(3)_CPE_ID_UPDATE
  $(2)_CPE_ID_UPDATE = $$($(3)_CPE_ID_UPDATE)
 endif
endif

ifndef $(2)_CPE_ID_PREFIX
 ifdef $(3)_CPE_ID_PREFIX
  $(2)_CPE_ID_PREFIX = $$($(3)_CPE_ID_PREFIX)
 endif
endif

ifndef $(2)_CPE_ID_VALID
 ifdef $(3)_CPE_ID_VALID
  $(2)_CPE_ID_VALID = $$($(3)_CPE_ID_VALID)
 endif
endif

ifndef $(2)_REDISTRIBUTE
 ifdef $(3)_REDISTRIBUTE
  $(2)_REDISTRIBUTE = $$($(3)_REDISTRIBUTE)
 endif
endif
$(2)_REDISTRIBUTE ?= YES
endef

generic-package = $(call inner-generic-package,$(pkgname),$(call UPPERCASE,$(pkgname)),$(call UPPERCASE,$(pkgname)),target)
host-generic-package = $(call inner-generic-package,host-$(pkgname),$(call UPPERCASE,host-$(pkgname)),$(call UPPERCASE,$(pkgname)),host)

################################################################################
# Infrastructures whose downloads are generic-package's
################################################################################

autotools-package = $(generic-package)
host-autotools-package = $(host-generic-package)
cmake-package = $(generic-package)
host-cmake-package = $(host-generic-package)
meson-package = $(generic-package)
host-meson-package = $(host-generic-package)
perl-package = $(generic-package)
host-perl-package = $(host-generic-package)
rebar-package = $(generic-package)
host-rebar-package = $(host-generic-package)
kconfig-package = $(generic-package)
waf-package = $(generic-package)
qmake-package = $(generic-package)
hare-package = $(generic-package)

# kernel-module only adds build steps to a package declared by another infrastructure.
kernel-module =

################################################################################
# virtual-package (pkg-virtual.mk): nothing to download
################################################################################

define inner-virtual-package
$(2)_VERSION =
$(2)_SOURCE =
$(2)_IS_VIRTUAL = YES
$(call inner-generic-package,$(1),$(2),$(3),$(4))
endef

virtual-package = $(call inner-virtual-package,$(pkgname),$(call UPPERCASE,$(pkgname)),$(call UPPERCASE,$(pkgname)),target)
host-virtual-package = $(call inner-virtual-package,host-$(pkgname),$(call UPPERCASE,host-$(pkgname)),$(call UPPERCASE,$(pkgname)),host)

################################################################################
# python-package (pkg-python.mk): pyo3 packages vendor their crates
################################################################################

define inner-python-package
ifndef $(2)_SETUP_TYPE
 ifdef $(3)_SETUP_TYPE
  $(2)_SETUP_TYPE = $$($(3)_SETUP_TYPE)
 endif
endif

ifneq ($$(filter maturin setuptools-rust,$$($(2)_SETUP_TYPE)),)
ifndef $(2)_CARGO_MANIFEST_PATH
ifdef $(3)_CARGO_MANIFEST_PATH
$(2)_DOWNLOAD_POST_PROCESS_OPTS += -m$$($(3)_CARGO_MANIFEST_PATH)
else
ifneq ($$($(2)_SUBDIR),)
$(2)_DOWNLOAD_POST_PROCESS_OPTS += -m$$($(2)_SUBDIR)/Cargo.toml
endif
endif
else
$(2)_DOWNLOAD_POST_PROCESS_OPTS += -m$$($(2)_CARGO_MANIFEST_PATH)
endif
$(2)_DOWNLOAD_POST_PROCESS = cargo
endif

$(call inner-generic-package,$(1),$(2),$(3),$(4))
endef

python-package = $(call inner-python-package,$(pkgname),$(call UPPERCASE,$(pkgname)),$(call UPPERCASE,$(pkgname)),target)
host-python-package = $(call inner-python-package,host-$(pkgname),$(call UPPERCASE,host-$(pkgname)),$(call UPPERCASE,$(pkgname)),host)

################################################################################
# luarocks-package (pkg-luarocks.mk): <name>-<version>.src.rock from the luarocks mirror
################################################################################

define inner-luarocks-package
ifndef $(2)_NAME_UPSTREAM
 ifdef $(3)_NAME_UPSTREAM
  $(2)_NAME_UPSTREAM = $($(3)_NAME_UPSTREAM)
 else
  $(2)_NAME_UPSTREAM ?= $(1)
 endif
endif

ifndef $(2)_SOURCE
 ifdef $(3)_SOURCE
  $(2)_SOURCE = $($(3)_SOURCE)
 else
  $(2)_SOURCE ?= $$(call LOWERCASE,$$($(3)_NAME_UPSTREAM))-$$($(3)_VERSION).src.rock
 endif
endif

ifndef $(2)_SITE
 ifdef $(3)_SITE
  $(2)_SITE = $($(3)_SITE)
 else
  $(2)_SITE ?= $$(call qstrip,$$(BR2_LUAROCKS_MIRROR))
 endif
endif

$(call inner-generic-package,$(1),$(2),$(3),$(4))
endef

luarocks-package = $(call inner-luarocks-package,$(pkgname),$(call UPPERCASE,$(pkgname)),$(call UPPERCASE,$(pkgname)),target)
host-luarocks-package = $(call inner-luarocks-package,host-$(pkgname),$(call UPPERCASE,host-$(pkgname)),$(call UPPERCASE,$(pkgname)),host)

################################################################################
# golang-package (pkg-golang.mk) and cargo-package (pkg-cargo.mk): vendored archives
################################################################################

# Vendoring brings in dependencies whose licenses the package does not list: both say so.
define vendored-licenses
ifndef $(1)_LICENSE
 ifdef $(2)_LICENSE
  $(1)_LICENSE = $$($(2)_LICENSE)
 endif
endif
ifneq ($$($(1)_LICENSE),)
$(1)_LICENSE += , vendored dependencies licenses probably not listed
endif
endef

define inner-golang-package
$(2)_DOWNLOAD_POST_PROCESS = go
ifneq ($$($(2)_SUBDIR),)
$(2)_DOWNLOAD_POST_PROCESS_OPTS += -s$$($(2)_SUBDIR)
endif

$(call vendored-licenses,$(2),$(3))

$(call inner-generic-package,$(1),$(2),$(3),$(4))
endef

golang-package = $(call inner-golang-package,$(pkgname),$(call UPPERCASE,$(pkgname)),$(call UPPERCASE,$(pkgname)),target)
host-golang-package = $(call inner-golang-package,host-$(pkgname),$(call UPPERCASE,host-$(pkgname)),$(call UPPERCASE,$(pkgname)),host)

define inner-cargo-package
$(2)_DOWNLOAD_POST_PROCESS = cargo
ifneq ($$($(2)_SUBDIR),)
$(2)_DOWNLOAD_POST_PROCESS_OPTS += -m$$($(2)_SUBDIR)/Cargo.toml
endif

$(call vendored-licenses,$(2),$(3))

$(call inner-generic-package,$(1),$(2),$(3),$(4))
endef

cargo-package = $(call inner-cargo-package,$(pkgname),$(call UPPERCASE,$(pkgname)),$(call UPPERCASE,$(pkgname)),target)
host-cargo-package = $(call inner-cargo-package,host-$(pkgname),$(call UPPERCASE,host-$(pkgname)),$(call UPPERCASE,$(pkgname)),host)

################################################################################
# toolchain-external-package (toolchain/toolchain-external/pkg-toolchain-external.mk)
################################################################################

define inner-toolchain-external-package
ifeq ($$(BR2_TOOLCHAIN_EXTERNAL_PREINSTALLED),y)
$(2)_SITE =
$(2)_SOURCE =
endif

$(call inner-generic-package,$(1),$(2),$(3),$(4))
endef

toolchain-external-package = $(call inner-toolchain-external-package,$(pkgname),$(call UPPERCASE,$(pkgname)),$(call UPPERCASE,$(pkgname)),target)
