#!/usr/bin/env bash
# Browser test: the accessibility mirror driven by role and name (see portal_a11y.spec.mjs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal_a11y.spec.mjs"
