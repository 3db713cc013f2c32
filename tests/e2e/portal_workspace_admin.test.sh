#!/usr/bin/env bash
# Browser test: the workspace's search, firm switcher, engagement edit and renewal, adding a member, see
# portal_workspace_admin.spec.mjs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal_workspace_admin.spec.mjs"
