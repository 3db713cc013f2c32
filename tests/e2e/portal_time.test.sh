#!/usr/bin/env bash
# Browser test: the Time section (log time, timer, expenses, approval queue) and the
# Payments side's autopay failures and alerts, see portal_time.spec.mjs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal_time.spec.mjs"
