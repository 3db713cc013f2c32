#!/usr/bin/env bash
# Browser test: a signed invoice link (/i/<token>) opened without an account: read, pay part,
# a declined card, the PDF, and links that no longer work.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal_signed_link.spec.mjs"
