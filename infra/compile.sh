#!/usr/bin/env bash
# Pulumi's YAML compiler (Pulumi.yaml runtime.options.compiler). Runs the built C# program, building it first
# only when a source is newer than the build: a bare start costs tens of milliseconds, `dotnet run` a second.
# stdout carries only the program; build output goes to stderr, which Pulumi shows only if we fail.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/.artifacts/compiler"
exe="$out/llm-cost"

stale() {
  [ ! -x "$exe" ] && return 0
  [ -n "$(find "$root/infra" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json" \
      -newer "$exe" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' -o -name '*.props' \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -print -quit)" ]
}

# Ready-to-run code for this machine skips most JIT work on every start (measured: about a quarter of a run).
rid() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64 ;; Linux-aarch64|Linux-arm64) echo linux-arm64 ;;
    Darwin-x86_64) echo osx-x64 ;; Darwin-arm64) echo osx-arm64 ;;
    *) echo "" ;;
  esac
}

if stale; then
  r="$(rid)"
  if [ -n "$r" ]; then
    build=(dotnet publish "$root/infra/LlmCost.Infra/LlmCost.Infra.csproj" -c Release -r "$r" --self-contained false -p:PublishReadyToRun=true -o "$out")
  else
    build=(dotnet build "$root/infra/LlmCost.Infra/LlmCost.Infra.csproj" -c Release -o "$out")
  fi
  if ! "${build[@]}" --nologo -v quiet >&2; then
    echo "llm-cost: building the compiler failed (build output above)" >&2
    exit 1
  fi
  touch "$exe"
fi

exec "$exe" "$@"
