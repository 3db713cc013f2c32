#!/usr/bin/env bash
# Browser test: the firm staff workspace (sidebar by role, dashboard, every section), see
# portal_staff.spec.mjs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal_staff.spec.mjs"
