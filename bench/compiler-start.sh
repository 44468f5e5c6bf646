#!/usr/bin/env bash
# Times the compiler as Pulumi runs it (two or three times per preview): the warm compile.sh for a stack and
# for plugin discovery, beside a bare start of the built program and `dotnet run` (the build check that every
# run would pay without compile.sh). Prints the mean wall time in milliseconds over N runs.
# Usage: bench/compiler-start.sh [N=20] [STACK=prod]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-20}"
stack="${2:-prod}"
cd "$root"
# Offline: price on the embedded snapshot, and never let a credential lookup reach for instance metadata.
export LLM_COST_PRICING_SOURCE=snapshot AWS_EC2_METADATA_DISABLED=true
bash infra/compile.sh --help >/dev/null   # build once, outside the measurement
exe=.artifacts/compiler/llm-cost

# The compiler refuses to print a stack without the router bundle; stand one in for the measurement only.
arch="$("$exe" synth --stack "$stack" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).resources["router-function"].properties.architectures[0]))')"
bundle="lambda/dist/router-$arch.zip"
if [ ! -f "$bundle" ]; then
  mkdir -p lambda/dist && : > "$bundle"
  trap 'rm -f "$bundle"' EXIT
fi

mean_ms() {
  local start end runs="$1"; shift
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null; done
  end=$(date +%s%N)
  echo $(( (end - start) / runs / 1000000 ))
}

config="$("$exe" config --stack "$stack")"
stack_ms=$(PULUMI_STACK="$stack" PULUMI_PROJECT=llm-cost PULUMI_ORGANIZATION=organization PULUMI_CONFIG="$config" mean_ms "$n" bash infra/compile.sh)
discovery_ms=$(mean_ms "$n" env -u PULUMI_STACK -u PULUMI_CONFIG bash infra/compile.sh)
bare_ms=$(mean_ms "$n" "$exe" --help)
dotnet_run_ms=$(mean_ms 3 dotnet run --project infra/LlmCost.Infra -c Release -- --help)

echo "compile.sh, stack $stack, snapshot:  ${stack_ms} ms"
echo "compile.sh, plugin discovery:        ${discovery_ms} ms"
echo "built program, bare start (--help):  ${bare_ms} ms"
echo "dotnet run (build check), 3 runs:    ${dotnet_run_ms} ms"
