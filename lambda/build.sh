#!/usr/bin/env bash
# Builds the cost-router Lambda bundle the program deploys: lambda/dist/router-<arch>/bootstrap, a Native AOT
# executable for provided.al2023 (the program's router component zips that folder with fn::fileArchive).
#   lambda/build.sh x86_64    on an x86_64 Linux machine with clang and zlib (apt-get install clang lld zlib1g-dev)
#   lambda/build.sh arm64     on an arm64 Linux machine (the same packages), or on x86_64 with an aarch64 cross
#                             toolchain and sysroot (see lambda/README.md); without one this script says so and stops.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch="${1:-}"
case "$arch" in
  x86_64) rid=linux-x64; native=x86_64 ;;
  arm64)  rid=linux-arm64; native=aarch64 ;;
  *) echo "usage: lambda/build.sh arm64|x86_64" >&2; exit 2 ;;
esac

if ! command -v clang >/dev/null 2>&1; then
  echo "lambda/build.sh: Native AOT needs clang (and zlib1g-dev): apt-get install -y clang lld zlib1g-dev" >&2
  exit 1
fi

host="$(uname -m)"
if [ "$host" != "$native" ]; then
  # Cross-compiling needs a linker and sysroot for the target; .NET's ILCompiler finds them via the clang target.
  if ! command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
    echo "lambda/build.sh: building $arch on $host needs an aarch64 cross toolchain (apt-get install -y gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross, plus zlib for arm64)," >&2
    echo "or run this script on an arm64 machine (e.g. a Graviton build host or CI runner). No bundle was built." >&2
    exit 1
  fi
fi

out="$root/lambda/dist/router-$arch"
work="$root/.artifacts/router-publish-$arch"
rm -rf "$work"
dotnet publish "$root/lambda/LlmCost.Router.Host/LlmCost.Router.Host.csproj" -c Release -r "$rid" -o "$work" --nologo -v quiet \
  -p:ContinuousIntegrationBuild=true
mkdir -p "$out"
rm -f "$out"/*
# Only the executable: the bundle is what the function runs, nothing else (no .dbg, no pdb).
cp "$work/bootstrap" "$out/bootstrap"
chmod 755 "$out/bootstrap"
echo "lambda/build.sh: built $out/bootstrap ($(du -h "$out/bootstrap" | cut -f1), $rid)"
