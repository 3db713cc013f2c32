#!/usr/bin/env bash
# Browser test: the issue's hero flows (package run to paid; time to declined autopay), see
# portal_hero_flows.spec.mjs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal_hero_flows.spec.mjs"
