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
# Amounts as a person reads them, by the currency's exponent: the jq module
# beside this script (installed in share/orderkit).
money() { jq -L "$top/scripts" "$@"; }

echo "== order-import: the shop's Excel export (cp1251, ';', 1 299,00) as records"
order-import --stats --map "$data/site-orders.map" "$data/site-orders.csv" \
    >"$out/imported.jsonl"
money -r 'include "orderkit"; "  \(.id)  \(.customer.name)  \(.items | length) items  total \(money(.totals.total; .currency)) \(.currency)"' \
    "$out/imported.jsonl"

echo
echo "== order-validate: check them and the site's orders against the catalog"
order-validate --catalog "$data/catalog.csv" --country RU \
    --rejects "$out/invalid.jsonl" --stats "$out/imported.jsonl" \
    "$data/orders.jsonl" >"$out/valid.jsonl"
echo "valid orders:"
money -r 'include "orderkit"; "  \(.id)  \(.customer.phone // .customer.email)  total \(money(.totals.total; .currency)) \(.currency)"' \
    "$out/valid.jsonl"
echo "rejected, and why:"
jq -r '"  \(.id // "line \(.line)"): " + ([.errors[] | .code + " (" + .message + ")"] | join("; "))' \
    "$out/invalid.jsonl"

echo
echo "== order-reserve: load the sample stock, reserve the valid orders"
stock-load --db "$out/orderkit.db" "$data/stock.csv" >/dev/null
order-reserve --db "$out/orderkit.db" --split --ttl 2h \
    --rejects "$out/backorder.jsonl" "$out/valid.jsonl" >"$out/reserved.jsonl"
echo "reserved:"
jq -r '"  \(.id)  " + ([.reservation.lines[] | "\(.qty) x \(.sku) from \(.warehouse)"] | join(", "))' \
    "$out/reserved.jsonl"
echo "backordered:"
jq -r '"  \(.id): " + ([.errors[].message] | join("; "))' "$out/backorder.jsonl"
echo "stock now:"
stock-levels --db "$out/orderkit.db" | jq -r \
    '"  \(.sku) at \(.warehouse): \(.on_hand) on hand, \(.reserved) reserved, \(.available) available"'

echo
echo "== pay-reconcile: match the reserved orders to YooKassa and Stripe reports"
pay-reconcile --db "$out/orderkit.db" --payments "$data/payments.jsonl" \
    --payments "$data/payments.csv" --rejects "$out/unpaid.jsonl" \
    --report "$out/payments-report.jsonl" \
    "$out/reserved.jsonl" >"$out/paid.jsonl"
echo "ready to ship:"
money -r 'include "orderkit"; "  \(.id)  \(.status)  paid \(money(.payment.paid // 0; .currency)) of \(money(.totals.total; .currency)) \(.currency)"' \
    "$out/paid.jsonl"
echo "held back:"
jq -r '"  \(.id): " + ([.errors[] | .code + " (" + .message + ")"] | join("; "))' \
    "$out/unpaid.jsonl"
echo "for a person to look at:"
jq -r 'select(.type != "summary") | "  \(.type): \(.provider // "") \(.transaction_id // .order_id // "")"' \
    "$out/payments-report.jsonl"

echo
echo "== ship-book --dry-run: the requests that would book them at CDEK (no network, no account)"
ORDERKIT_CARRIER_CDEK_CLIENT_ID=demo ORDERKIT_CARRIER_CDEK_CLIENT_SECRET=not-shown \
    ship-book --dry-run --config "$data/orderkit.conf" --stats \
    --rejects "$out/not-booked.jsonl" "$out/paid.jsonl" >"$out/requests.jsonl"
jq -r '"  \(.method) \(.url)"' "$out/requests.jsonl"
echo "the token request, its secret masked:"
jq -r 'select(.url | endswith("/oauth/token")) | "  \(.body)"' "$out/requests.jsonl"
echo "the order as CDEK would get it:"
jq -c 'select(.url | endswith("/orders")) | .body | {number, tariff_code, shipment_point, to_location, recipient, packages: [.packages[] | {weight, length, width, height}]}' \
    "$out/requests.jsonl" | sed 's/^/  /'
echo "not booked, and why:"
jq -r '"  \(.id): " + ([.errors[] | .code + " (" + .message + ")"] | join("; "))' \
    "$out/not-booked.jsonl"

echo
echo "== notify-send --dry-run: what the customers would hear, rendered into a folder, nothing sent"
notify-send --dry-run "$out/messages" --config "$data/orderkit.conf" \
    --channel email,sms --now 2026-11-20T12:00:00+03:00 --stats \
    --rejects "$out/not-notified.jsonl" "$out/paid.jsonl" >"$out/notified.jsonl"
jq -r '.id as $id | (.notifications // [])[] | "  \($id)  \(.event) by \(.channel) to \(.recipient): \(.file | split("/") | last)"' \
    "$out/notified.jsonl"
echo "one of them, as the customer's phone would show it:"
f=$(jq -r '[(.notifications // [])[] | select(.channel == "sms") | .file][0] // empty' \
    "$out/notified.jsonl" | head -n 1)
if [ -n "$f" ]; then sed 's/^/  /' "$f"; fi
labels=${ORDERKIT_DEMO_LABELS:-$top/build/demo-labels}
echo "== label-gen: labels, packing slips and the manifest of the paid orders, in $labels"
label-gen --config "$data/orderkit.conf" --catalog "$data/catalog.csv" \
    --packing-slip --manifest "$labels/manifest.csv" --out "$labels" \
    --rejects "$out/not-labelled.jsonl" "$out/paid.jsonl" \
    >"$out/labelled.jsonl"
jq -r '"  \(.id)  " + ([.label.parcels[].file] | join(", ")) + ", slip \(.label.packing_slip)"' \
    "$out/labelled.jsonl"
echo "the manifest:"
sed 's/^/  /' "$labels/manifest.csv"
