#!/usr/bin/env bash
# Builds the cost-router Lambda bundle the program deploys: lambda/dist/router-<arch>.zip holding bootstrap, a Native
# AOT executable for provided.al2023, with Unix mode 0755 (Pulumi passes a .zip file archive through unchanged, so the
# mode Lambda needs is the one written here; a folder archive would be re-zipped without modes).
#   lambda/build.sh x86_64 | arm64
# Needs clang and lld (apt-get install clang lld zlib1g-dev). Building for the other architecture also needs its GNU
# cross toolchain and C library, e.g. on x86_64 for arm64: apt-get install gcc-aarch64-linux-gnu
# binutils-aarch64-linux-gnu libc6-dev-arm64-cross (clang links against that sysroot).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch="${1:-}"
case "$arch" in
  x86_64) rid=linux-x64; gnu=x86_64-linux-gnu ;;
  arm64)  rid=linux-arm64; gnu=aarch64-linux-gnu ;;
  *) echo "usage: lambda/build.sh arm64|x86_64" >&2; exit 2 ;;
esac

if ! command -v zip >/dev/null 2>&1; then
  echo "lambda/build.sh: packaging the bundle needs zip: apt-get install -y zip" >&2
  exit 1
fi

if ! command -v clang >/dev/null 2>&1; then
  echo "lambda/build.sh: Native AOT needs clang and lld: apt-get install -y clang lld zlib1g-dev" >&2
  exit 1
fi

cross=()
host="$(uname -m)"
if [ "${host/aarch64/arm64}" != "$arch" ]; then
  if ! command -v "$gnu-objcopy" >/dev/null 2>&1 || [ ! -d "/usr/$gnu/lib" ]; then
    echo "lambda/build.sh: building $arch on $host needs the $gnu cross toolchain and C library" >&2
    echo "(on Debian: apt-get install -y gcc-$gnu binutils-$gnu libc6-dev-${rid#linux-}-cross), or an $arch machine. No bundle was built." >&2
    exit 1
  fi
  # The host's objcopy cannot strip a foreign binary's symbols.
  cross=(-p:ObjCopyName="$gnu-objcopy")
fi

out="$root/lambda/dist/router-$arch"
work="$root/.artifacts/router-publish-$arch"
rm -rf "$work"
dotnet publish "$root/lambda/LlmCost.Router.Host/LlmCost.Router.Host.csproj" -c Release -r "$rid" -o "$work" --nologo -v quiet \
  -p:ContinuousIntegrationBuild=true "${cross[@]}"
mkdir -p "$out"
rm -f "$out"/*
# Only the executable: the bundle is what the function runs, nothing else (no .dbg, no pdb).
cp "$work/bootstrap" "$out/bootstrap"
chmod 755 "$out/bootstrap"
# A fixed timestamp and no extra fields: the same bootstrap gives the same zip, so Pulumi sees no change.
touch -d '2020-01-01 00:00:00 UTC' "$out/bootstrap"
rm -f "$out.zip"
( cd "$out" && TZ=UTC zip -q -X "$out.zip" bootstrap )
echo "lambda/build.sh: built $out.zip ($(du -h "$out.zip" | cut -f1), $rid)"
