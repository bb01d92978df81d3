################################################################################
#
# wordlist
#
################################################################################

WORDLIST_VERSION = 0.3
WORDLIST_SITE = https://downloads.example.org/wordlist
WORDLIST_LICENSE = CC0-1.0
WORDLIST_LICENSE_FILES = words.txt

# The sample never reaches downloads.example.org: its primary site (Sample.csproj) is the
# local mirror under upstream/, which is asked first, as BR2_PRIMARY_SITE would be.
$(eval $(generic-package))
