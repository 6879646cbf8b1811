# validate.jq: order-validate's form checks in jq, bench-validate.sh's yardstick.
#
# Run as `jq -c -f validate.jq orders.jsonl` (jq 1.6 or later): one record in,
# one record out.  A valid record comes out with "status":"validated" and its
# phone as +7... or +380...; an invalid one comes out unchanged but for an
# "errors" array of {code, field, message}.  Unlike order-validate it has no
# catalog, so an unknown sku, variant or price passes, and its rejects share
# the output stream.

def err($code; $field; $message):
  [{code: $code, field: $field, message: $message}];

def text: type == "string" and length > 0;
def whole: type == "number" and . == floor;
def digits: explode | map(select(. >= 48 and . <= 57)) | implode;

# normal_phone: "+7" and 10 digits (written with 8, 7 or no trunk prefix), or
# "+380" and 9 digits; null for anything else.
def normal_phone:
  digits
  | if length == 11 and (startswith("7") or startswith("8")) then "+7" + .[1:]
    elif length == 10 and startswith("9") then "+7" + .
    elif length == 12 and startswith("380") then "+" + .
    else null end;

def email_form: "^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$";

def check_customer:
  (.customer // {}) as $c
  | (if ($c.email | text) or ($c.phone | text) then []
     else err("missing_contact"; "customer"; "neither email nor phone") end)
  + (if $c.email == null then []
     elif ($c.email | type) == "string" and ($c.email | test(email_form))
     then []
     else err("bad_email"; "customer.email"; "not an email address") end)
  + (if $c.phone == null then []
     elif ($c.phone | type) == "string" and ($c.phone | normal_phone) != null
     then []
     else err("bad_phone"; "customer.phone"; "not a +7 or +380 number") end);

def check_address($a):
  [("country", "city", "postal_code", "line1")
   | select($a[.] | text | not)
   | err("missing_field"; "shipping.address." + .; . + " is missing")[]]
  + (($a.postal_code // "") as $p
     | {"RU": 6, "UA": 5}[$a.country // ""] as $n
     | if $n == null or ($p | text | not) then []
       elif ($p | length) == $n and ($p | digits) == $p then []
       else err("bad_postal_code"; "shipping.address.postal_code";
                "postal code is not \($n) digits") end);

def check_shipping:
  (.shipping // {}) as $s
  | ($s.address | type) as $has
  | if $s.method == "courier" or $s.method == "post" then
      if $has == "object" then check_address($s.address)
      else err("missing_field"; "shipping.address"; "address is missing") end
    elif $s.method == "pickup" then
      (if ($s.pickup_point | text) then []
       else err("missing_field"; "shipping.pickup_point";
                "pickup point is missing") end)
      + (if $has == "object" then check_address($s.address) else [] end)
    elif $s.method == null then
      err("missing_field"; "shipping.method"; "shipping method is missing")
    else
      err("bad_shipping_method"; "shipping.method"; "unknown shipping method")
    end;

def check_payment:
  .payment.method as $m
  | if $m | IN("card", "wallet", "bank", "cod", "installment") then []
    elif $m == null then
      err("missing_field"; "payment.method"; "payment method is missing")
    else
      err("bad_payment_method"; "payment.method"; "unknown payment method")
    end;

def check_items:
  if (.items | type) != "array" or (.items | length) == 0 then
    err("missing_field"; "items"; "no items")
  else
    [.items | to_entries[] | .key as $i | .value as $item | "items[\($i)]" as $at
     | (if $item.sku | text then []
        else err("missing_field"; $at + ".sku"; "sku is missing") end)
     + (if ($item.qty | whole) and $item.qty >= 1 then []
        else err("bad_qty"; $at + ".qty"; "qty is not a whole number above 0")
        end)
     + (if ($item.unit_price | whole) and $item.unit_price >= 0 then []
        else err("bad_price"; $at + ".unit_price";
                 "unit_price is not a whole number of minor units") end)
     | .[]]
  end;

# check_totals: each amount whole, then the two sums where all terms are.
def check_totals:
  (.totals // {}) as $t
  | .items as $items
  | [("subtotal", "shipping", "discount", "total")
     | select($t[.] | whole | not)
     | err("bad_amount"; "totals." + .;
           . + " is not a whole number of minor units")[]] as $bad
  | $bad
  + (if $bad != [] or $t.total == $t.subtotal + $t.shipping - $t.discount
     then []
     else err("bad_total"; "totals.total";
              "total is not subtotal + shipping - discount") end)
  + (if ($t.subtotal | whole | not) or ($items | type) != "array"
        or ([$items[] | .qty, .unit_price] | all(whole) | not) then []
     elif $t.subtotal == ([$items[] | .qty * .unit_price] | add // 0) then []
     else err("bad_subtotal"; "totals.subtotal";
              "subtotal is not the sum of qty * unit_price") end);

. as $order
| ((if .id | text then [] else err("missing_field"; "id"; "id is missing") end)
   + check_customer + check_shipping + check_payment + check_items
   + check_totals) as $errors
| if $errors == [] then
    .status = "validated"
    | if .customer.phone != null then .customer.phone |= normal_phone else . end
  else . + {errors: $errors} end
