# orderkit.jq: amounts of orderkit's records, for people's own jq programs.
#
# An amount in a record is an integer in the currency's minor units
# (kopecks, cents; JPY has none, KWD three decimals), the ISO 4217 code in
# "currency" beside it: dividing by 100 is wrong for JPY and KWD.
#
#   jq -L /usr/local/share/orderkit -r 'include "orderkit";
#       "\(.id) \(money(.totals.total; .currency)) \(.currency)"'
#
# money(amount; currency)  the decimal text of amount ("2898.00", "1500",
#                          "3.755"), both evaluated on the input (an order)
# money(currency)          the same for an input amount: .totals.total as
#                          the input, so .currency must come from outside
#                          ($order.currency, or a variable)
# money                    the same for an input {"amount":..,"currency":..}
# minor(currency)          back: a decimal text or number ("12.50", 12.5,
#                          "12,50") as an integer in minor units (1250)
# currency_exponent        the digits of the input code's minor unit
#
# Amounts are read and written as text, digit by digit, never through a
# division: exact for every integer jq holds exactly (to 2^53, 90 trillion
# in minor units), an error beyond.  An amount that is not a whole number,
# a currency ISO 4217 does not list, or more decimals than the currency has
# (unless zeros) is an error, as it is for the C programs.  "RUR", which
# Russian marketplaces still send, is RUB.

# ISO 4217 codes and the digits of their minor units: lib/money.c's table
# (tests/orderkit-jq.bats checks that they agree).
def _orderkit_exponents: {
  "AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "ANG": 2, "AOA": 2, "ARS":
  2, "AUD": 2, "AWG": 2, "AZN": 2, "BAM": 2, "BBD": 2, "BDT": 2,
  "BGN": 2, "BHD": 3, "BIF": 0, "BMD": 2, "BND": 2, "BOB": 2, "BOV":
  2, "BRL": 2, "BSD": 2, "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2,
  "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4, "CLP":
  0, "CNY": 2, "COP": 2, "COU": 2, "CRC": 2, "CUC": 2, "CUP": 2,
  "CVE": 2, "CZK": 2, "DJF": 0, "DKK": 2, "DOP": 2, "DZD": 2, "EGP":
  2, "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2, "FKP": 2, "GBP": 2,
  "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2, "GNF": 0, "GTQ": 2, "GYD":
  2, "HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2,
  "INR": 2, "IQD": 3, "IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY":
  0, "KES": 2, "KGS": 2, "KHR": 2, "KMF": 0, "KPW": 2, "KRW": 0,
  "KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2, "LBP": 2, "LKR": 2, "LRD":
  2, "LSL": 2, "LYD": 3, "MAD": 2, "MDL": 2, "MGA": 2, "MKD": 2,
  "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2, "MWK":
  2, "MXN": 2, "MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2,
  "NIO": 2, "NOK": 2, "NPR": 2, "NZD": 2, "OMR": 3, "PAB": 2, "PEN":
  2, "PGK": 2, "PHP": 2, "PKR": 2, "PLN": 2, "PYG": 0, "QAR": 2,
  "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0, "SAR": 2, "SBD": 2, "SCR":
  2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SLL": 2,
  "SOS": 2, "SRD": 2, "SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL":
  2, "THB": 2, "TJS": 2, "TMT": 2, "TND": 3, "TOP": 2, "TRY": 2,
  "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2, "UGX": 0, "USD": 2, "USN":
  2, "UYI": 0, "UYU": 2, "UYW": 4, "UZS": 2, "VED": 2, "VES": 2,
  "VND": 0, "VUV": 0, "WST": 2, "XAF": 0, "XCD": 2, "XCG": 2, "XOF":
  0, "XPF": 0, "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2, "ZWL": 2
};

def currency_exponent:
  (if . == "RUR" then "RUB" else . end) as $code
  | if type == "string" and (_orderkit_exponents | has($code))
    then _orderkit_exponents[$code]
    else error("\(tojson) is not an ISO 4217 currency code")
    end;

def money($currency):
  ($currency | currency_exponent) as $e
  | if type != "number" or . != floor
    then error("\(tojson) is not a whole number of minor units")
    elif . > 9007199254740991 or . < -9007199254740991
    then error("\(tojson) is beyond the integers jq holds exactly")
    else
      (if . < 0 then "-" else "" end) as $sign
      | (if . < 0 then -. else . + 0 end | tostring) as $digits
      | if $e == 0 then $sign + $digits
        else
          (if ($digits | length) <= $e
           then ("0" * ($e - ($digits | length) + 1)) + $digits
           else $digits end) as $d
          | $sign + $d[:-$e] + "." + $d[-$e:]
        end
    end;

def money(amount; currency): currency as $c | amount | money($c);

def money: money(.amount; .currency);

def minor($currency):
  ($currency | currency_exponent) as $e
  | (if type == "number" then tostring else . end) as $text
  | if type != "string" and type != "number"
    then error("\(tojson) is not an amount")
    else
      ($text | capture("^\\s*(?<sign>[-+]?)(?<int>[0-9]+)"
        + "(?:[.,](?<frac>[0-9]*))?\\s*$")
        // error("\($text | tojson) is not an amount")) as $m
      | ($m.frac // "") as $frac
      | if ($frac[$e:] | test("^0*$")) | not
        then error("\($text | tojson) has more decimals than "
          + "\($currency) has (\($e))")
        else
          ($m.int + ($frac[:$e]) + (if ($frac | length) < $e
            then "0" * ($e - ($frac | length)) else "" end)) as $digits
          | ($digits | tonumber) as $n
          | if $n > 9007199254740991
            then error("\($text | tojson) is beyond the integers jq "
              + "holds exactly")
            elif $m.sign == "-" then -$n else $n end
        end
    end;
