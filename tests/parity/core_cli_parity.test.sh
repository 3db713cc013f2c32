#!/usr/bin/env bash
# Native vs Wasm parity of the domain core: the same 120,000 generated JSON-lines cases
# (every op, valid and invalid) go through core_cli and through core_cli_wasm.js under
# node; the outputs must be byte-identical. On a difference, prints the first differing
# case with both answers and fails. Then invoice_totals and billing_period answers are
# checked against reference_check.js, an independent BigInt implementation of the rules,
# and retry_schedule, overdue and package_runs against reference_check.py (Python
# datetime + zoneinfo over /usr/share/zoneinfo, the files the CLIs load).
# Env (set by ctest): CP_BUILD_DIR, CP_SOURCE_DIR. Optional: CP_PARITY_CASES (count),
# CP_NATIVE_CLI / CP_WASM_CLI to point at other binaries.
set -euo pipefail
BUILD_DIR="${CP_BUILD_DIR:?CP_BUILD_DIR must point at the build tree}"
SOURCE_DIR="${CP_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
CASES="${CP_PARITY_CASES:-120000}"
NATIVE="${CP_NATIVE_CLI:-$BUILD_DIR/core_cli}"
WASM="${CP_WASM_CLI:-$BUILD_DIR/wasm/core_cli_wasm.js}"

for f in "$NATIVE" "$WASM"; do
  if [ ! -e "$f" ]; then
    echo "parity: missing $f (build the native and Wasm halves first)" >&2
    exit 1
  fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
node "$SOURCE_DIR/tests/parity/generate_core_cases.js" "$CASES" > "$tmp/cases.jsonl"

# Two cores: run both halves at once.
"$NATIVE" < "$tmp/cases.jsonl" > "$tmp/native.jsonl" &
native_pid=$!
node "$WASM" < "$tmp/cases.jsonl" > "$tmp/wasm.jsonl"
wait "$native_pid"

expected=$(wc -l < "$tmp/cases.jsonl")
for side in native wasm; do
  got=$(wc -l < "$tmp/$side.jsonl")
  if [ "$got" != "$expected" ]; then
    echo "parity: $side answered $got lines for $expected cases" >&2
  fi
done

if ! cmp -s "$tmp/native.jsonl" "$tmp/wasm.jsonl"; then
  line=$( (cmp "$tmp/native.jsonl" "$tmp/wasm.jsonl" 2>&1 || true) | sed -n 's/.* line \([0-9]*\).*/\1/p')
  line="${line:-1}"
  echo "parity: FAILED, first difference at line $line" >&2
  echo "case:   $(sed -n "${line}p" "$tmp/cases.jsonl" | cut -c1-2000)" >&2
  echo "native: $(sed -n "${line}p" "$tmp/native.jsonl" | cut -c1-2000)" >&2
  echo "wasm:   $(sed -n "${line}p" "$tmp/wasm.jsonl" | cut -c1-2000)" >&2
  exit 1
fi
if [ "$(wc -l < "$tmp/native.jsonl")" != "$expected" ]; then
  exit 1
fi
errors=$(grep -c '^{"error"' "$tmp/native.jsonl" || true)
echo "parity: $expected cases, byte-identical native and Wasm output ($errors error answers)"

# And both agree with an independent BigInt implementation of the same rules, and with a
# Python zoneinfo one (over the system's zoneinfo files) of the time-zone ops.
node "$SOURCE_DIR/tests/parity/reference_check.js" "$tmp/cases.jsonl" "$tmp/native.jsonl"
python3 "$SOURCE_DIR/tests/parity/reference_check.py" "$tmp/cases.jsonl" "$tmp/native.jsonl"
