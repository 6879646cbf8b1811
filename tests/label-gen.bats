# tests/label-gen.bats: labels looked at as a person would: PDF pages drawn
# to PNG and every barcode read back with zbarimg, the text with pdftotext,
# ZPL drawn by zpl-renderer-js and read back the same way.
# shellcheck disable=SC2154 # $output, $stderr and $lines come from bats' run
bats_require_minimum_version 1.5.0

setup_file() {
	# zpl-renderer-js: the copy scripts/install-deps.sh keeps, else one
	# installed for this file; without npm the ZPL drawings are skipped.
	local top
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	ZPL_NODE_PATH=$top/build/npm/node_modules
	if [[ ! -d $ZPL_NODE_PATH/zpl-renderer-js ]]; then
		ZPL_NODE_PATH=$BATS_FILE_TMPDIR/npm/node_modules
		npm install --silent --no-audit --no-fund \
		    --prefix "$BATS_FILE_TMPDIR/npm" zpl-renderer-js@3.4.0 \
		    >/dev/null 2>&1 || ZPL_NODE_PATH=
	fi
	export ZPL_NODE_PATH
}

setup() {
	load test_helper/common
	OUT=$BATS_TEST_TMPDIR/out
	NOW=2026-11-20T18:00:00+03:00
	export ORDERKIT_CONFIG=$FIXTURES/orderkit.conf
}

# lg ARG...: label-gen into $OUT on the tests' day.
lg() {
	label-gen --now "$NOW" --out "$OUT" "$@"
}

# codes FILE: every barcode on the first page of a PDF or PNG, as zbarimg
# reads it, one a line, sorted.
codes() {
	local png=$1

	if [[ $1 == *.pdf ]]; then
		pdftoppm -r 300 -png -f 1 -l 1 -singlefile "$1" \
		    "$BATS_TEST_TMPDIR/page" || return 1
		png=$BATS_TEST_TMPDIR/page.png
	fi
	zbarimg --nodbus -q "$png" | sort
}

# text FILE: the text of a PDF, its lines joined by spaces.
text() {
	pdftotext -q "$1" - | tr '\n' ' ' | tr -s ' '
}

# zpl_png ZPL PNG [WMM HMM DPMM]: the ZPL label drawn to PNG offline.
zpl_png() {
	[[ -n $ZPL_NODE_PATH ]] ||
	    skip "npm cannot install zpl-renderer-js: ZPL not drawn"
	NODE_PATH=$ZPL_NODE_PATH node "$FIXTURES/render-zpl.js" "$1" "$2" \
	    "${3:-100}" "${4:-150}" "${5:-8}"
}

# gs1_valid DIGITS: the last digit is the GS1 mod-10 check of the others.
gs1_valid() {
	local s=$1 i sum=0 w=3 d

	for ((i = ${#s} - 2; i >= 0; i--)); do
		d=${s:i:1}
		sum=$((sum + d * w))
		w=$((4 - w))
	done
	[[ $(((10 - sum % 10) % 10)) == "${s: -1}" ]]
}

@test "--help prints the usage on standard output" {
	run -0 --separate-stderr label-gen --help
	assert_line --index 0 --partial 'usage: label-gen [--config FILE]'
	assert_stderr ''
}

@test "a bad option or value is a usage error, exit 64" {
	run -64 --separate-stderr label-gen --format svg
	assert_output ''
	assert_stderr --partial "label-gen: --format 'svg' is not zpl or pdf"
	run -64 --separate-stderr label-gen --size a5
	assert_stderr --partial "--size 'a5' is not 4x6, 100x150, a6 or a4"
	run -64 --separate-stderr label-gen --dpi 600
	assert_stderr --partial "--dpi '600' is not 203 or 300"
}

@test "a courier label: tracking number and QR URL read back, the address in the text" {
	run -0 --separate-stderr lg "$FIXTURES/courier.jsonl"
	assert_stderr ''
	assert_equal "$(jq -c '[.status, .label]' <<<"$output")" \
	    "[\"labelled\",{\"format\":\"pdf\",\"parcels\":[{\"n\":1,\"file\":\"$OUT/SHOP-1-1.pdf\",\"page\":1}]}]"
	assert_equal "$(jq -c .status_history <<<"$output")" \
	    '[{"status":"labelled","at":"2026-11-20T15:00:00Z"}]'
	assert_equal "$(codes "$OUT/SHOP-1-1.pdf")" "CODE-128:1000000001
QR-Code:https://www.cdek.ru/ru/tracking?order_id=1000000001"
	run -0 text "$OUT/SHOP-1-1.pdf"
	assert_output --partial 'SHIP TO Иван Петров +79161234567 ул. Тверская, д. 7, кв. 12 125009 Москва RU'
	assert_output --partial 'FROM Анна Смирнова ООО «Ромашка» ул. Складская, 1 101000 Москва'
	assert_output --partial 'cdek COURIER 137'
	assert_output --partial 'ORDER SHOP-1 WEIGHT 0.400 KG SHIP DATE 2026-11-20'
	assert_output --partial '1 OF 1'
}

@test "a post label from computed parcels carries the SSCC with its check digit" {
	ORDERKIT_SHOP_GS1_PREFIX=4601234 run -0 --separate-stderr \
	    lg "$FIXTURES/post.jsonl"
	assert_stderr ''
	run -0 codes "$OUT/SHOP-2-1.pdf"
	[[ $output =~ ^CODE-128:00(04601234[0-9]{10})$ ]] ||
	    fail "no SSCC: $output"
	gs1_valid "${BASH_REMATCH[1]}" || fail "bad check digit: $output"
	zbarimg --nodbus -q --xml "$BATS_TEST_TMPDIR/page.png" |
	    grep -q "modifiers='GS1'" || fail "not GS1-128"
	run -0 text "$OUT/SHOP-2-1.pdf"
	assert_output --partial 'russianpost POST'
	assert_output --partial 'Мария Соколова'
	assert_output --partial '170100 Тверь Тверская обл., RU'
	assert_output --partial 'WEIGHT 0.500 KG'
	assert_output --partial "(00) ${BASH_REMATCH[1]}"
}

@test "without a tracking number or GS1 prefix the barcode is the order and parcel" {
	run -0 --separate-stderr lg "$FIXTURES/post.jsonl"
	assert_equal "$(codes "$OUT/SHOP-2-1.pdf")" 'CODE-128:SHOP-2/1'
}

@test "a pickup label names the point and reads the parcel's tracking URL" {
	run -0 --separate-stderr lg "$FIXTURES/pickup.jsonl"
	assert_stderr ''
	assert_equal "$(codes "$OUT/SHOP-3-1.pdf")" "CODE-128:1000000003
QR-Code:https://track.example/1000000003"
	run -0 text "$OUT/SHOP-3-1.pdf"
	assert_output --partial 'cdek PICKUP 136'
	assert_output --partial 'Пётр Иванов +79161230003 PICKUP POINT MSK42 Москва'
}

@test "cash on delivery: the amount to collect in large type, and the packing slip" {
	run -0 --separate-stderr lg --packing-slip "$FIXTURES/cod.jsonl"
	assert_stderr ''
	assert_equal "$(jq -r .label.packing_slip <<<"$output")" \
	    "$OUT/SHOP-4-slip.pdf"
	run -0 text "$OUT/SHOP-4-1.pdf"
	assert_output --partial 'CASH ON DELIVERY, COLLECT 4590.00 RUB'
	# Two lines of one SKU, split for exact money, are one line.
	run -0 text "$OUT/SHOP-4-slip.pdf"
	assert_output --partial 'SKU ITEM QTY AMOUNT TEE Футболка 3 3897.01 TOTAL 3897.01'
	assert_equal "$(codes "$OUT/SHOP-4-slip.pdf")" 'CODE-128:SHOP-4'
}

@test "two parcels: 1 OF 2 and 2 OF 2, each from its warehouse" {
	run -0 --separate-stderr lg --packing-slip "$FIXTURES/two-parcels.jsonl"
	assert_stderr ''
	assert_equal "$(jq -c '.label.parcels' <<<"$output")" \
	    "[{\"n\":1,\"file\":\"$OUT/SHOP-5-1.pdf\",\"page\":1},{\"n\":2,\"file\":\"$OUT/SHOP-5-2.pdf\",\"page\":1}]"
	assert_equal "$(codes "$OUT/SHOP-5-1.pdf")" "CODE-128:1000000051
QR-Code:https://www.cdek.ru/ru/tracking?order_id=1000000051"
	assert_equal "$(codes "$OUT/SHOP-5-2.pdf")" "CODE-128:1000000052
QR-Code:https://www.cdek.ru/ru/tracking?order_id=1000000052"
	run -0 text "$OUT/SHOP-5-1.pdf"
	assert_output --partial '1 OF 2'
	assert_output --partial 'FROM Анна Смирнова'
	run -0 text "$OUT/SHOP-5-2.pdf"
	assert_output --partial '2 OF 2'
	assert_output --partial 'FROM Склад СПб'
	run -0 text "$OUT/SHOP-5-slip.pdf"
	assert_output --partial 'TEE Футболка @ MSK A-12-3 1 1299.00'
	assert_output --partial 'MUG Кружка @ SPB 1 590.00'
}

@test "a return label: from the customer to the warehouse, RETURN and the RMA" {
	run -0 --separate-stderr lg "$FIXTURES/return.jsonl"
	assert_stderr ''
	assert_equal "$(jq -c '[.status, .label, .return.label]' <<<"$output")" \
	    "[\"return_open\",null,{\"format\":\"pdf\",\"parcels\":[{\"n\":1,\"file\":\"$OUT/SHOP-42-return-1.pdf\",\"page\":1}]}]"
	assert_equal "$(codes "$OUT/SHOP-42-return-1.pdf")" \
	    'CODE-128:20450000100001'
	run -0 text "$OUT/SHOP-42-return-1.pdf"
	assert_output --partial 'RETURN RMA RMA-7'
	assert_output --partial "FROM Олена Коваль вул. Ґалаґана, 4, під'їзд 2, поверх 5 02000 Київ UA"
	assert_output --partial 'SHIP TO Склад Київ ООО «Ромашка» +74951234567 вул. Хрещатик, 22 01001 Київ UA'
	assert_output --partial 'SHIP DATE 2026-11-25'
}

@test "Ukrainian and accented Latin names come back from the PDF's text" {
	run -0 --separate-stderr lg "$FIXTURES/ukrainian.jsonl" \
	    "$FIXTURES/latin.jsonl"
	assert_stderr ''
	run -0 text "$OUT/SHOP-6-1.pdf"
	assert_output --partial 'Ївга Єфименко-Ґудзь'
	assert_output --partial '09100 Біла Церква Київська обл., UA'
	assert_equal "$(codes "$OUT/SHOP-6-1.pdf")" 'CODE-128:0503123456789'
	run -0 text "$OUT/SHOP-7-1.pdf"
	assert_output --partial 'Zoë Müller-Lüdenscheidt'
	assert_output --partial 'Straße des 17. Juni 1 Hinterhaus, 3. OG, bei Sánchez-Ramírez 50667 Köln'
	assert_equal "$(codes "$OUT/SHOP-7-1.pdf")" \
	    'CODE-128:JD014600006601234567'
}

@test "an address that must wrap, and a 200-character line, lose nothing" {
	local long
	long=$(printf 'Street%.0s ' {1..33} | cut -c1-199)
	long+=X
	jq -c --arg l "$long" '.shipping.address.line1 = $l' \
	    "$FIXTURES/courier.jsonl" >"$BATS_TEST_TMPDIR/long.jsonl"
	run -0 --separate-stderr lg "$BATS_TEST_TMPDIR/long.jsonl"
	assert_stderr ''
	[[ ${#long} -eq 200 ]]
	run -0 text "$OUT/SHOP-1-1.pdf"
	assert_output --partial "$long 125009 Москва"
	# Wrapped: on several lines, none of them wider than the page.
	run -0 pdftotext -q "$OUT/SHOP-1-1.pdf" -
	[[ $(grep -c '^Street' <<<"$output") -ge 3 ]] || fail "not wrapped"
	assert_equal "$(codes "$OUT/SHOP-1-1.pdf")" "CODE-128:1000000001
QR-Code:https://www.cdek.ru/ru/tracking?order_id=1000000001"
	run -0 --separate-stderr lg --format zpl "$BATS_TEST_TMPDIR/long.jsonl"
	run -0 bash -c "grep -o '\\^FD[^^]*' '$OUT/SHOP-1-1.zpl' | cut -c4- |
	    tr '\\n' ' '"
	assert_output --partial "$long 125009 Москва"
}

# long_address WORDS: courier.jsonl with a first address line of WORDS
# words and a long name, in $BATS_TEST_TMPDIR/long.jsonl.
long_address() {
	local line
	line=$(seq -f 'Konstantinopolskaya-%g' 1 "$1" | tr '\n' ' ')
	jq -c --arg l "${line% }" '.shipping.address.line1 = $l |
	    .customer.name = "Maximilian Alexander von Hohenzollern-Sigmaringen"' \
	    "$FIXTURES/courier.jsonl" >"$BATS_TEST_TMPDIR/long.jsonl"
}

@test "a long name and address are shrunk, never cut: every word there, the barcodes read" {
	long_address 30
	run -0 --separate-stderr lg "$BATS_TEST_TMPDIR/long.jsonl"
	assert_stderr ''
	run -0 text "$OUT/SHOP-1-1.pdf"
	assert_output --partial 'Maximilian Alexander von Hohenzollern-Sigmaringen'
	assert_equal "$(grep -o 'Konstantinopolskaya-[0-9]*' <<<"$output" |
	    sort -u | wc -l)" 30
	assert_equal "$(codes "$OUT/SHOP-1-1.pdf")" "CODE-128:1000000001
QR-Code:https://www.cdek.ru/ru/tracking?order_id=1000000001"
	run -0 --separate-stderr lg --format zpl "$BATS_TEST_TMPDIR/long.jsonl" \
	    "$FIXTURES/courier.jsonl"
	assert_equal "$(grep -o 'Konstantinopolskaya-[0-9]*' \
	    "$OUT/SHOP-1-1.zpl" | sort -u | wc -l)" 30
	# Its largest type is smaller than a short address's label's.
	local big short
	big=$(grep -o '\^A0N,[0-9]*' "$OUT/SHOP-1-1.zpl" | cut -d, -f2 |
	    sort -n | tail -n 1)
	short=$(grep -o '\^A0N,[0-9]*' "$OUT/SHOP-1~2-1.zpl" | cut -d, -f2 |
	    sort -n | tail -n 1)
	((big < short)) || fail "type of $big dots, not below $short"
	zpl_png "$OUT/SHOP-1-1.zpl" "$BATS_TEST_TMPDIR/long.png"
	assert_equal "$(codes "$BATS_TEST_TMPDIR/long.png")" "CODE-128:1000000001
QR-Code:https://www.cdek.ru/ru/tracking?order_id=1000000001"
}

@test "text too long even at the least size is a reject, text_too_long, never a cut label" {
	long_address 200
	for f in pdf zpl; do
		run -0 --separate-stderr lg --format $f \
		    "$BATS_TEST_TMPDIR/long.jsonl" "$FIXTURES/post.jsonl"
		run -0 jq -r '.id + " " + .label.format' <<<"$output"
		assert_output "SHOP-2 $f"
		run -0 jq -r '.errors[] | .code + " " + .field' <<<"$stderr"
		assert_output 'text_too_long shipping.address.line1'
		assert [ ! -e "$OUT/SHOP-1-1.$f" ]
	done
}

@test "a missing field is a reject naming it; the run goes on" {
	run -0 --separate-stderr lg "$FIXTURES/missing.jsonl"
	assert_equal "$(jq -r .id <<<"$output")" SHOP-11
	assert_equal "$(jq -c '[.id, [.errors[] | [.code, .field]]]' <<<"$stderr")" \
	    '["SHOP-9",[["missing_field","customer.name"],["missing_field","shipping.address.line1"],["missing_field","shipping.address.postal_code"]]]
["SHOP-10",[["missing_field","shipping.pickup_point"]]]'
	assert [ -f "$OUT/SHOP-11-1.pdf" ]
	assert [ ! -e "$OUT/SHOP-9-1.pdf" ]
	run -65 --separate-stderr lg --strict --rejects /dev/null \
	    "$FIXTURES/missing.jsonl"
}

@test "an order that was not paid gets no label: not_payable" {
	run -0 --separate-stderr lg "$FIXTURES/unpaid.jsonl"
	assert_output ''
	assert_equal "$(jq -c '.errors' <<<"$stderr")" \
	    '[{"code":"not_payable","field":"status","message":"status '"'reserved'"' is not booked, paid or cod: an order not paid gets no label"}]'
	assert_equal "$(jq -r .rejected_by <<<"$stderr")" label-gen
	assert [ ! -e "$OUT/SHOP-8-1.pdf" ]
}

@test "hostile ids make safe names, in --out, none overwriting another" {
	run -0 --separate-stderr lg "$FIXTURES/hostile.jsonl"
	assert_stderr ''
	assert_equal "${#lines[@]}" 6
	# ../../etc/passwd twice: the second does not overwrite the first.
	run -0 bash -c "cd '$OUT' && ls -A"
	assert_output 'A_B_C-1.pdf
A_B_C-820009b4-1.pdf
_._.._etc_passwd-bbdefdfa-1.pdf
_._.._etc_passwd-bbdefdfa~2-1.pdf
_rf-deb4b268-1.pdf
Заказ 7-1.pdf'
	run -0 find "$BATS_TEST_TMPDIR" -name '*.pdf' -not -path "$OUT/*"
	assert_output ''
	# The fallback barcodes: the ids' ASCII forms.
	assert_equal "$(codes "$OUT/A_B_C-820009b4-1.pdf")" 'CODE-128:A%01B%0AC/1'
	assert_equal "$(codes "$OUT/_rf-deb4b268-1.pdf")" 'CODE-128:-rf/1'
	assert_equal "$(codes "$OUT/Заказ 7-1.pdf")" 'CODE-128:#519E0C5556FFE2DE/1'
}

@test "ZPL: balanced labels, ^FS on every field, escapes, 203 and 300 dpi" {
	run -0 --separate-stderr lg --format zpl "$FIXTURES/hostile.jsonl" \
	    "$FIXTURES/courier.jsonl"
	assert_stderr ''
	local z=$OUT/_._.._etc_passwd-bbdefdfa-1.zpl
	assert_equal "$(grep -c '^\^XA$' "$z") $(grep -c '^\^XZ$' "$z")" '1 1'
	assert_equal "$(grep '\^FD' "$z" | grep -vc '\^FS$')" 0
	run -1 grep -v -e '^\^XA$' -e '^\^XZ$' -e '^\^CI28$' -e '^\^PW799$' \
	    -e '^\^LL1199$' -e '^\^LH0,0$' -e '\^FS$' "$z"
	assert_output ''
	run -0 cat "$z"
	assert_output --partial '^FO24,257^A0N,48,48^FH^FDA_5FB _5EC_7ED^FS'
	assert_output --partial '^FH^FDx _5EXZ_7EJR^FS'
	assert_output --partial '^BCN,120,N,N,N^FD>:AB><C>=D>0E_1^FS'
	run -0 --separate-stderr lg --format zpl --dpi 300 "$FIXTURES/courier.jsonl"
	run -0 head -4 "$OUT/SHOP-1-1.zpl"
	assert_output $'^XA\n^CI28\n^PW1181\n^LL1772'
}

@test "ZPL drawn by a renderer: the barcodes read back" {
	run -0 --separate-stderr lg --format zpl "$FIXTURES/courier.jsonl" \
	    "$FIXTURES/hostile.jsonl"
	zpl_png "$OUT/SHOP-1-1.zpl" "$BATS_TEST_TMPDIR/c.png"
	assert_equal "$(codes "$BATS_TEST_TMPDIR/c.png")" "CODE-128:1000000001
QR-Code:https://www.cdek.ru/ru/tracking?order_id=1000000001"
	zpl_png "$OUT/_._.._etc_passwd-bbdefdfa-1.zpl" "$BATS_TEST_TMPDIR/h.png"
	assert_equal "$(codes "$BATS_TEST_TMPDIR/h.png")" 'CODE-128:AB^C~D>E_1
QR-Code:https://www.cdek.ru/ru/tracking?order_id=AB^C~D>E_1'
	ORDERKIT_SHOP_GS1_PREFIX=4601234 run -0 --separate-stderr \
	    lg --format zpl --dpi 300 "$FIXTURES/post.jsonl"
	zpl_png "$OUT/SHOP-2-1.zpl" "$BATS_TEST_TMPDIR/p.png" 100 150 12
	run -0 codes "$BATS_TEST_TMPDIR/p.png"
	[[ $output =~ ^CODE-128:00(04601234[0-9]{10})$ ]] ||
	    fail "no SSCC: $output"
	gs1_valid "${BASH_REMATCH[1]}" || fail "bad check digit: $output"
}

@test "the same run twice gives identical bytes and leaves the files alone" {
	local f
	run -0 --separate-stderr lg --packing-slip "$FIXTURES"/[a-z]*.jsonl
	cp -a "$OUT" "$BATS_TEST_TMPDIR/first"
	touch -d '2020-01-01' "$OUT"/*
	run -0 --separate-stderr lg --packing-slip "$FIXTURES"/[a-z]*.jsonl
	for f in "$BATS_TEST_TMPDIR"/first/*; do
		cmp "$f" "$OUT/${f##*/}" || fail "${f##*/} differs"
		assert_equal "$(stat -c %Y "$OUT/${f##*/}")" \
		    "$(date -d 2020-01-01 +%s)"
	done
	assert_equal "$(ls "$OUT" | wc -l)" "$(ls "$BATS_TEST_TMPDIR/first" | wc -l)"
}

@test "a rerun over a label file that differs replaces it whole, no temporary name left" {
	run -0 --separate-stderr lg --format zpl "$FIXTURES/courier.jsonl" \
	    "$FIXTURES/two-parcels.jsonl"
	cp -a "$OUT" "$BATS_TEST_TMPDIR/first"
	echo 'not a label' >"$OUT/SHOP-1-1.zpl"
	run -0 --separate-stderr lg --format zpl "$FIXTURES/courier.jsonl" \
	    "$FIXTURES/two-parcels.jsonl"
	assert_stderr ''
	run -0 diff -r "$BATS_TEST_TMPDIR/first" "$OUT"
	run -0 find "$OUT" -name '*.tmp-*'
	assert_output ''
}

@test "--one-file puts the run's labels in one file, a page each" {
	run -0 --separate-stderr lg --one-file --packing-slip \
	    "$FIXTURES/courier.jsonl" "$FIXTURES/two-parcels.jsonl"
	assert_stderr ''
	assert_equal "$(jq -c '[.label.parcels[].page, .label.packing_slip]' <<<"$output")" \
	    "[1,\"$OUT/packing-slips.pdf\"]
[2,3,\"$OUT/packing-slips.pdf\"]"
	assert_equal "$(pdfinfo "$OUT/labels.pdf" | grep Pages:)" 'Pages:           3'
	assert_equal "$(ls "$OUT")" $'labels.pdf\npacking-slips.pdf'
	# A run without a label makes no empty file.
	rm -r "$OUT"
	run -0 --separate-stderr lg --one-file "$FIXTURES/unpaid.jsonl"
	assert_output ''
	assert_equal "$(ls -A "$OUT")" ''
}

@test "the manifest lists every parcel per carrier with the totals" {
	run -0 --separate-stderr lg --manifest "$OUT/manifest.csv" \
	    "$FIXTURES/cod.jsonl" "$FIXTURES/two-parcels.jsonl" \
	    "$FIXTURES/latin.jsonl"
	assert_stderr ''
	run -0 cat "$OUT/manifest.csv"
	assert_output 'carrier,warehouse,order,parcel,tracking_number,weight_g,cod,currency
cdek,,SHOP-4,1,1000000004,600,4590.00,RUB
cdek,MSK,SHOP-5,1,1000000051,200,,
cdek,SPB,SHOP-5,2,1000000052,350,,
cdek,,TOTAL,3,,1150,4590.00,RUB
dhl,,SHOP-7,1,JD014600006601234567,300,,
dhl,,TOTAL,1,,300,,'
	run -0 text "$OUT/manifest.pdf"
	assert_output --partial 'MANIFEST 2026-11-20 cdek ORDER SHOP-4 N 1 TRACKING 1000000004 KG 0.600 COD 4590.00 RUB TOTAL: 1 PARCELS, 0.600 KG CASH ON DELIVERY: 4590.00 RUB HANDED OVER (SHOP): NAME, SIGNATURE RECEIVED (CARRIER): NAME, SIGNATURE, TIME cdek, WAREHOUSE MSK'
}

@test "a packing slip's barcode: the id, else its ASCII form, never left out when long" {
	local id
	for id in 'ЗАКАЗ-1001' 'SHOP-2026-11-20-0001' 'З-1'; do
		jq -c --arg id "$id" '.id = $id' "$FIXTURES/courier.jsonl"
	done >"$BATS_TEST_TMPDIR/ids.jsonl"
	run -0 --separate-stderr lg --packing-slip "$BATS_TEST_TMPDIR/ids.jsonl"
	assert_stderr ''
	# Cyrillic: no Code 128 carries it, so '#' and its FNV-1a hash
	# (more than 20 characters as %XX), printed under the bars too.
	assert_equal "$(codes "$OUT/ЗАКАЗ-1001-slip.pdf")" \
	    'CODE-128:#604EDA0BFC911424'
	run -0 text "$OUT/ЗАКАЗ-1001-slip.pdf"
	assert_output --partial 'ORDER ЗАКАЗ-1001 2026-11-20 #604EDA0BFC911424 SHIP TO'
	# 20 characters: too wide beside the heading, a row of its own.
	assert_equal "$(codes "$OUT/SHOP-2026-11-20-0001-slip.pdf")" \
	    'CODE-128:SHOP-2026-11-20-0001'
	assert_equal "$(codes "$OUT/З-1-slip.pdf")" 'CODE-128:%D0%97-1'
}

@test "a gift order's packing slip shows no prices" {
	run -0 --separate-stderr lg --packing-slip "$FIXTURES/gift.jsonl"
	run -0 text "$OUT/SHOP-12-slip.pdf"
	assert_output --partial 'GIFT: NO PRICES'
	assert_output --partial 'TEE Футболка 1'
	refute_output --partial '1299'
	refute_output --partial 'AMOUNT'
}

@test "the carrier's own label document is the label" {
	jq -c '.shipment.parcels[0].carrier_label = "cdek/SHOP-1.pdf"' \
	    "$FIXTURES/courier.jsonl" >"$BATS_TEST_TMPDIR/carrier.jsonl"
	run -0 --separate-stderr lg --packing-slip "$BATS_TEST_TMPDIR/carrier.jsonl"
	assert_equal "$(jq -c .label <<<"$output")" \
	    "{\"format\":\"pdf\",\"parcels\":[{\"n\":1,\"file\":\"cdek/SHOP-1.pdf\",\"page\":1}],\"packing_slip\":\"$OUT/SHOP-1-slip.pdf\"}"
	assert_equal "$(ls "$OUT")" 'SHOP-1-slip.pdf'
}

@test "example: labels and packing slips for the booked orders, a file each" {
	cd "$BATS_TEST_TMPDIR"
	cat "$FIXTURES/courier.jsonl" "$FIXTURES/two-parcels.jsonl" >booked.jsonl
	run -0 --separate-stderr sh -c \
	    'label-gen --packing-slip booked.jsonl > labelled.jsonl'
	assert_stderr ''
	assert_equal "$(jq -r .status labelled.jsonl)" $'labelled\nlabelled'
	assert_equal "$(ls labels)" 'SHOP-1-1.pdf
SHOP-1-slip.pdf
SHOP-5-1.pdf
SHOP-5-2.pdf
SHOP-5-slip.pdf'
}

@test "example: a print batch for a 300 dpi thermal printer, and the manifest" {
	cd "$BATS_TEST_TMPDIR"
	cat "$FIXTURES/courier.jsonl" "$FIXTURES/two-parcels.jsonl" >booked.jsonl
	run -0 --separate-stderr sh -c 'label-gen --format zpl --dpi 300 \
	    --one-file --manifest labels/manifest.csv booked.jsonl \
	    > labelled.jsonl'
	assert_stderr ''
	assert_equal "$(ls labels)" $'labels.zpl\nmanifest.csv'
	assert_equal "$(grep -c '^\^XA$' labels/labels.zpl)" 3
	assert_equal "$(wc -l <labels/manifest.csv)" 5
}

@test "an --out that cannot be made exits 73 before reading" {
	touch "$BATS_TEST_TMPDIR/file"
	run -73 --separate-stderr label-gen --out "$BATS_TEST_TMPDIR/file/labels" \
	    "$FIXTURES/courier.jsonl"
	assert_output ''
	assert_stderr "label-gen: cannot create '$BATS_TEST_TMPDIR/file/labels': Not a directory"
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'label-gen --out "$1" "$2" >/dev/full' \
	    sh "$OUT" "$FIXTURES/courier.jsonl"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

@test "a label file that cannot be written (a full disk) exits 74" {
	run -74 --separate-stderr lg --manifest /dev/full "$FIXTURES/courier.jsonl"
	assert_stderr "label-gen: cannot write '/dev/full': No space left on device"
	assert [ -c /dev/full ]
}

@test "an unreadable operand exits 66 and the others are still read" {
	run -66 --separate-stderr lg "$BATS_TEST_TMPDIR/none.jsonl" \
	    "$FIXTURES/courier.jsonl"
	assert_equal "$(jq -r .id <<<"$output")" SHOP-1
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/none.jsonl'"
}

@test "broken inputs: every non-blank line is a record or a reject, never a crash" {
	load test_helper/broken
	broken_lines lg
}

# ------------------------------------------------ issue 12's house rules

# tty CMD...: CMD with a terminal (script(1)) as its standard input, output
# and error; what it wrote in $output, its status script's.
tty() {
	command -v script >/dev/null || skip "no script(1) (util-linux)"
	SHELL=/bin/bash script -qec "$(printf '%q ' "$@")" /dev/null </dev/null
}

@test "--help names the purpose, every option, the exit statuses and the page" {
	run -0 --separate-stderr label-gen --help
	assert_stderr ''
	assert_line 'Make shipping labels, packing slips and the manifest from orders.'
	assert_line --regexp '^  --one-file  +the run.s labels in one file'
	assert_line --regexp '^  --stats\[=json\|FILE\]  +'
	assert_line --regexp '^  73  an output cannot be created$'
	assert_line 'See label-gen(1).'
}

@test "no operand on a terminal: the usage and exit 64, no folder made" {
	run -64 tty label-gen --out "$OUT"
	assert_output --partial 'label-gen: no input: name a FILE or pipe records in'
	assert_output --partial 'usage: label-gen '
	assert [ ! -e "$OUT" ]
}

@test "rejects on a terminal are one line each: id, code, message" {
	run -0 tty sh -c 'label-gen --now "$1" --out "$2" "$3" >/dev/null' sh \
	    "$NOW" "$OUT" "$FIXTURES/unpaid.jsonl"
	assert_output $'SHOP-8: not_payable: status \'reserved\' is not booked, paid or cod: an order not paid gets no label\r'
}

@test "--stats=json: read, written, labels, rejects and their codes" {
	run -0 --separate-stderr lg --stats=json --rejects /dev/null \
	    "$FIXTURES/two-parcels.jsonl" "$FIXTURES/unpaid.jsonl" \
	    "$FIXTURES/missing.jsonl"
	assert_stderr '{"program":"label-gen","read":5,"written":2,"labels":3,"rejects":3,"codes":{"not_payable":1,"missing_field":4}}'
}

@test "--stats=FILE writes the object there; plain --stats stays prose" {
	run -0 --separate-stderr lg --stats="$BATS_TEST_TMPDIR/s.json" \
	    "$FIXTURES/courier.jsonl"
	assert_stderr ''
	run -0 jq -c '[.program, .read, .labels, .rejects]' "$BATS_TEST_TMPDIR/s.json"
	assert_output '["label-gen",1,1,0]'
	run -0 --separate-stderr lg --stats "$FIXTURES/courier.jsonl"
	assert_stderr 'label-gen: 1 read, 1 labels, 0 rejected'
}

@test "--progress shows the orders read in a pipe; --no-progress none on a terminal" {
	run -0 --separate-stderr lg --progress --rejects /dev/null \
	    "$FIXTURES/courier.jsonl" "$FIXTURES/unpaid.jsonl"
	[[ $stderr =~ ^$'\r'label-gen:\ 2\ read,\ [0-9]+/s,\ 1\ rejects$ ]] ||
	    fail "no progress line: $stderr"
	run -0 tty sh -c '(cat "$1"; sleep 1.3; cat "$1") | label-gen \
	    --no-progress --now "$2" --out "$3" >/dev/null' sh \
	    "$FIXTURES/courier.jsonl" "$NOW" "$OUT"
	assert_output ''
}
