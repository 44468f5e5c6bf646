#!/usr/bin/env bash
# Installs what building and smoke-testing the router bundles needs on a Debian/Ubuntu machine (CI runs it):
#   Native AOT: clang, lld, zlib1g-dev.
#   On x86_64, the arm64 bundle (what the stacks deploy): the aarch64 GNU cross toolchain and C library, qemu
#   user-mode emulation to run it in the smoke test, and arm64 OpenSSL (the bootstrap loads libssl.so.3 at run time
#   for HMAC and HTTPS, as it finds it on Amazon Linux 2023), unpacked into the emulation's sysroot only.
# Idempotent: does nothing when everything is there.
set -euo pipefail
need=()
command -v zip >/dev/null 2>&1 || need+=(zip)
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v ld.lld >/dev/null 2>&1 || need+=(lld)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
cross_arm64=false
if [ "$(uname -m)" = "x86_64" ]; then
  cross_arm64=true
  command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 || need+=(binutils-aarch64-linux-gnu)
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
  [ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] || need+=(libc6-dev-arm64-cross)
  command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)
fi

if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need[@]}"
fi

if $cross_arm64 && [ ! -e /usr/aarch64-linux-gnu/lib/libssl.so.3 ]; then
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  apt-get update -qq
  work="$(mktemp -d)"
  ( cd "$work" && apt-get download libssl3:arm64 >/dev/null 2>&1 && dpkg -x libssl3_*_arm64.deb x )
  cp -a "$work"/x/usr/lib/aarch64-linux-gnu/libssl.so.3 "$work"/x/usr/lib/aarch64-linux-gnu/libcrypto.so.3 /usr/aarch64-linux-gnu/lib/
  rm -rf "$work"
fi
