#!/usr/bin/env bash
# Builds the cost-router Lambda bundle the program deploys: lambda/dist/router-<arch>/bootstrap.
# The router itself (Native AOT, provided.al2023) is not written yet: see the issue "The cost-router Lambda".
# Until it is, this script refuses to produce a bundle rather than ship a placeholder, so `pulumi up` keeps
# stopping with a clear message instead of deploying a function that cannot serve.
set -euo pipefail
arch="${1:-}"
case "$arch" in
  arm64|x86_64) ;;
  *) echo "usage: lambda/build.sh arm64|x86_64" >&2; exit 2 ;;
esac
echo "lambda/build.sh: the router Lambda ($arch) is not implemented yet; no bundle was built." >&2
echo "Offline synthesis and plans work without it; 'pulumi up' needs it." >&2
exit 1
