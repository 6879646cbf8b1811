#!/bin/sh
# demo.sh: run the sample pipeline on the bundled sample data, with the
# state in a throwaway SQLite file, and show what each step did.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
bin=${ORDERKIT_BIN:-$top/bin}
data=$top/scripts/demo
out=$(mktemp -d "${TMPDIR:-/tmp}/orderkit-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
PATH=$bin:$PATH
export PATH

echo "== order-validate: check the sample orders against the catalog"
order-validate --catalog "$data/catalog.csv" --country RU \
    --rejects "$out/invalid.jsonl" --stats "$data/orders.jsonl" \
    >"$out/valid.jsonl"
echo "valid orders:"
jq -r '"  \(.id)  \(.customer.phone // .customer.email)  total \(.totals.total) \(.currency)"' \
    "$out/valid.jsonl"
echo "rejected, and why:"
jq -r '"  \(.id // "line \(.line)"): " + ([.errors[] | .code + " (" + .message + ")"] | join("; "))' \
    "$out/invalid.jsonl"
