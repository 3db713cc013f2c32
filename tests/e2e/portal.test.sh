#!/usr/bin/env bash
# Browser test: real headless Chromium (Debian's) driven by playwright-core against a real
# cp_server on a throwaway SQLite database.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal.spec.mjs"
