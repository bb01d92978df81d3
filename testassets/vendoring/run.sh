#!/usr/bin/env bash
# The vendoring sample: packs rust-hello and go-hello as release archives, vendors their
# dependencies with the CargoVendor and GoVendor tasks (Vendoring.proj), then builds each one
# from its vendored archive with the network shut off and an empty cargo home / module cache.
# The dependencies come from crates/ and goproxy/ beside this script: nothing leaves the machine.
#
#   testassets/vendoring/run.sh
#
# Everything goes to one temporary folder (printed; set SAMPLE_WORK_DIR to choose it).
# Needs the .NET SDK, cargo, go, tar and gzip.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${SAMPLE_WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/brdl-vendoring.XXXXXX")}
mkdir -p "$work/upstream" "$work/src" "$work/dl/br-cargo-home"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

echo "==> Building the task assembly"
dotnet build "$repo/src/Buildroot.Download.Tasks/Buildroot.Download.Tasks.csproj" -c Release \
  -o "$work/tasks" --artifacts-path "$work/artifacts" -nodeReuse:false -tl:off -v:q

echo "==> Packing the samples as release archives into $work/upstream"
for sample in rust-hello go-hello; do
  cp -R "$here/$sample" "$work/src/$sample-1.0"
  tar --format=posix -czf "$work/upstream/$sample-1.0.tar.gz" -C "$work/src" "$sample-1.0"
done

# The company-mirror case: the shared cargo home's config.toml replaces crates.io.
cat > "$work/dl/br-cargo-home/config.toml" <<TOML
[source.crates-io]
replace-with = "samples"

[source.samples]
local-registry = '$here/crates'
TOML

echo "==> Vendoring (Vendoring.proj)"
dotnet msbuild "$here/Vendoring.proj" -nodeReuse:false -tl:off \
  -p:BuildrootDownloadTasksAssembly="$work/tasks/Buildroot.Download.Tasks.dll" \
  -p:SampleWorkDir="$work"

echo "==> Building each sample offline from its vendored archive"
mkdir -p "$work/build/rust" "$work/build/go" "$work/empty-cargo-home"
tar -xzf "$work/vendored/rust-hello-1.0-cargo6.tar.gz" -C "$work/build/rust" --strip-components=1
(cd "$work/build/rust" && CARGO_HOME="$work/empty-cargo-home" cargo run --offline --frozen --quiet)
tar -xzf "$work/vendored/go-hello-1.0-go2.tar.gz" -C "$work/build/go" --strip-components=1
(cd "$work/build/go" && GOPROXY=off GOFLAGS=-mod=vendor GOMODCACHE="$work/empty-go-mod-cache" \
  GOPATH="$work/gopath" GOCACHE="$work/gocache" go run .)
echo "==> Done. Work folder: $work"
