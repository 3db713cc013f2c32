#!/usr/bin/env bash
# Browser test: firm staff act on issued invoices (payments, refunds, credit notes, void, signed links), see
# portal_invoice_actions.spec.mjs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}" "${CP_WEB_DIR:?}"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent)
fi
exec node "$HERE/portal_invoice_actions.spec.mjs"
