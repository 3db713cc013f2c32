#!/usr/bin/env bash
# Scale-out (issue 19): PostgreSQL + 3 cp_server + haproxy on loopback (scripts/cluster.py):
# the shared throttle, one runner per job through kill -9, a rolling restart under load.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${CP_BUILD_DIR:?}"
command -v haproxy >/dev/null || { echo "cluster test needs haproxy (scripts/setup installs it)" >&2; exit 1; }
exec /usr/bin/python3 "$HERE/cluster_test.py"
