#!/usr/bin/env bash
# The offline sample: packs Buildroot.Download.Tasks from this repository into a local feed,
# then runs `dotnet build` of testassets/sample with it. Its three packages come from file://
# sites inside the repository, so no download leaves the machine.
#
#   testassets/sample/run.sh
#
# Everything it writes goes to one temporary folder (printed; set SAMPLE_WORK_DIR to choose it),
# except the sample's own bin/ and obj/. Needs the .NET SDK; packing restores the package's
# build-time references (Microsoft.Build.*) from your NuGet cache or registry like any build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${SAMPLE_WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/brdl-sample.XXXXXX")}
mkdir -p "$work"
version="0.0.0-sample.$(date -u +%Y%m%d%H%M%S)"
feed="$work/feed"
dl="$work/dl"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

echo "==> Packing Buildroot.Download.Tasks $version into $feed"
dotnet pack "$repo/src/Buildroot.Download.Tasks/Buildroot.Download.Tasks.csproj" -c Release \
  -o "$feed" -p:Version="$version" --artifacts-path "$work/artifacts" -nodeReuse:false -tl:off -v:q

# The local feed is the only package source: the sample needs nothing else, and proves it.
# An empty backup site keeps https://sources.buildroot.net out of it.
echo "==> Building the sample; downloads go to $dl"
dotnet build "$here/Sample.csproj" -nodeReuse:false -tl:off \
  -p:SamplePackageVersion="$version" \
  -p:RestoreSources="$feed" -p:RestorePackagesPath="$work/packages" \
  -p:BuildrootDlDir="$dl" -p:BuildrootBackupSite=

echo "==> Checking every downloaded file against its hashes again (BuildrootVerify)"
dotnet build "$here/Sample.csproj" -nodeReuse:false -tl:off -v:q -t:BuildrootVerify \
  -p:SamplePackageVersion="$version" \
  -p:RestoreSources="$feed" -p:RestorePackagesPath="$work/packages" \
  -p:BuildrootDlDir="$dl" -p:BuildrootBackupSite=

echo "==> The download folder $dl (<package folder>/<file>, sha256):"
files=$(cd "$dl" && find . -type f -not -path '*/.*' | sed 's|^\./||' | sort)
for file in $files; do
  printf '  %-36s %s\n' "$file" "$(sha256sum "$dl/$file" | cut -d' ' -f1)"
done
echo "==> Done: $(echo "$files" | wc -l) files downloaded and verified without the network. Work folder: $work"
