#!/bin/bash
# vcourier manifest verify on files: a valid one; a parcel removed, a
# changed weight, a wrong checksum, a wrong signature (65 with the reason);
# a missing file (66); hostile files: truncated, deeply nested, huge, not
# JSON, binary, amounts overflowing their sum; --max-age against a stale
# signature timestamp; key file rules.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/deliver_lib.sh"
cd "$T_TMP"
dl_manifest_json M-1 C1 >good.json
sha=$(sha256sum <good.json | cut -d' ' -f1)
printf '%s\n' "$DL_KEY" >key
chmod 600 key
sig=$(python3 -c 'import base64,hashlib,hmac,sys
k = base64.b64decode(sys.argv[1][6:])
print("v1," + base64.b64encode(hmac.new(k, b"M-1.1700000000." + open("good.json","rb").read(), hashlib.sha256).digest()).decode())' "$DL_KEY")

assert_exit 0 "$VCOURIER" manifest verify good.json
assert_exit 0 "$VCOURIER" manifest verify good.json --sha256 "$sha" --key-file key --signature "$sig" --timestamp 1700000000
assert_contains "$T_OUT" "good.json: valid"

bad() { # bad FILE REASON [options]: exit 65, the reason on one line
	local f=$1 reason=$2
	shift 2
	assert_exit 65 "$VCOURIER" manifest verify "$f" "$@"
	assert_contains "$T_ERR" "vcourier: $f:"
	assert_contains "$T_ERR" "$reason"
	assert_eq "$(wc -l <<<"$T_ERR")" 1 "one line"
}
python3 -c 'import json; d = json.load(open("good.json")); d["stops"][0]["parcels"].pop(); print(json.dumps(d, ensure_ascii=False))' >removed.json
bad removed.json "stops[0].weight_kg: 1.750, but its parts add up to 1.250"
sed 's/"weight_kg":0.5/"weight_kg":0.6/' good.json >heavier.json
bad heavier.json "stops[0].weight_kg: 1.750, but its parts add up to 1.850"
bad good.json "checksum mismatch" --sha256 "$(printf '%064d' 0)"
bad good.json "signature mismatch" --key-file key --signature "v1,${sig:4:20}AAAAAAAAAAAAAAAAAAAAAAAA" --timestamp 1700000000
bad good.json "signature mismatch" --key-file key --signature "$sig" --timestamp 1700000001

# Issue 9 defect 11: amounts summed with overflow checks (9300 parcels of
# 10^12 kg each pass the per-amount range but wrapped the old long long sum).
python3 -c 'import json; d = json.load(open("good.json")); s = d["stops"][0]
p = dict(s["parcels"][0], weight_kg=1e12)
s["parcels"] = [dict(p, order_ref="X%d" % i) for i in range(9300)]
print(json.dumps(d, ensure_ascii=False))' >overflow.json
bad overflow.json "stops[0].parcels[9223]: the amounts add up past any load (overflow)"
# --max-age: the signature's timestamp against the clock (here 1700000000
# is years old): refused beyond the age, accepted with a fresh one.
bad good.json "signature timestamp 1700000000 is" --key-file key --signature "$sig" --timestamp 1700000000 --max-age 300
assert_contains "$T_ERR" "s behind our clock (more than --max-age 300)"
now=$(date +%s)
fresh=$(python3 -c 'import base64,hashlib,hmac,sys
k = base64.b64decode(sys.argv[1][6:])
print("v1," + base64.b64encode(hmac.new(k, ("M-1.%s." % sys.argv[2]).encode() + open("good.json","rb").read(), hashlib.sha256).digest()).decode())' "$DL_KEY" "$now")
assert_exit 0 "$VCOURIER" manifest verify good.json --key-file key --signature "$fresh" --timestamp "$now" --max-age 300
assert_exit 64 "$VCOURIER" manifest verify good.json --max-age 300
assert_exit 64 "$VCOURIER" manifest verify good.json --key-file key --signature "$fresh" --timestamp "$now" --max-age -5

head -c 100 good.json >truncated.json
bad truncated.json "truncated"
python3 -c 'print("[" * 200000)' >deep.json
bad deep.json "nested too deeply"
printf 'order_ref,weight\nA,1\n' >csv.json
bad csv.json "not valid JSON"
head -c 4096 /dev/urandom >random.json
bad random.json "not valid JSON"
: >empty.json
bad empty.json "empty file"
truncate -s 65M huge.json
bad huge.json "larger than 64 MiB"

assert_exit 66 "$VCOURIER" manifest verify nosuch.json
assert_contains "$T_ERR" "nosuch.json: No such file"
chmod 644 key
assert_exit 78 "$VCOURIER" manifest verify good.json --key-file key --signature "$sig" --timestamp 1700000000
assert_contains "$T_ERR" "readable by group or others"
# the key file goes through the config file's check (util/secretfile.h):
# no symbolic link followed, a FIFO refused at once instead of blocking
chmod 600 key
ln -s key key.link
assert_exit 78 "$VCOURIER" manifest verify good.json --key-file key.link --signature "$sig" --timestamp 1700000000
assert_contains "$T_ERR" "symbolic link"
mkfifo -m 600 key.fifo
assert_exit 78 timeout 20 "$VCOURIER" manifest verify good.json --key-file key.fifo --signature "$sig" --timestamp 1700000000
assert_contains "$T_ERR" "not a regular file"
chmod 644 key
assert_exit 64 "$VCOURIER" manifest verify good.json --key-file key
