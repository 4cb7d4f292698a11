#!/bin/bash
# Man pages (issue 13): vcourier(1) and vcourier.conf(5) as built lint
# clean (mandoc -T lint, man --warnings), carry the binary's version, and
# vcourier.conf(5) shows every key `vcourier config keys` lists, with its
# type and default; vcourier(1) names every command of `vcourier help`.
. "$(dirname "$0")/../lib.sh"
: "${BUILD:=$ROOT/build}"
man1=$BUILD/man/vcourier.1
man5=$BUILD/man/vcourier.conf.5
[ -f "$man1" ] && [ -f "$man5" ] || fail "man pages not built in $BUILD (make all builds them)"
for p in "$man1" "$man5"; do
	out=$(mandoc -T lint "$p" 2>&1) || fail "mandoc -T lint $p: $out"
	[ -z "$out" ] || fail "mandoc -T lint $p: $out"
	out=$(man --warnings -l "$p" 2>&1 >/dev/null)
	[ -z "$out" ] || fail "man --warnings $p: $out"
done
version=$("$VCOURIER" --version | sed -n '1s/^vcourier //p')
grep -qF "\"vcourier $version\"" "$man1" || fail "vcourier(1) does not carry version $version"
grep -qF "\"vcourier $version\"" "$man5" || fail "vcourier.conf(5) does not carry version $version"

conf=$(MANWIDTH=200 man -l "$man5" 2>/dev/null | sed 's/  */ /g')
n=0
while IFS=$'\t' read -r key type def range doc; do
	case $key in '#'*) continue ;; esac
	shown=${key//[<>]/}
	grep -qF -- "$shown" <<<"$conf" || fail "key $key missing from vcourier.conf(5)"
	line=$(grep -A2 -F -- "$shown" <<<"$conf" | grep -F "Type $type" | head -n 1)
	[ -n "$line" ] || fail "key $key: no 'Type $type' in vcourier.conf(5)"
	if [ "$def" = "-" ]; then
		assert_contains "$line" "default unset" "key $key"
	else
		assert_contains "$line" "default $def" "key $key"
	fi
	n=$((n + 1))
done < <("$VCOURIER" config keys)
[ "$n" -ge 10 ] || fail "only $n keys from vcourier config keys"
note "$n keys in vcourier.conf(5)"

page=$(MANWIDTH=200 man -l "$man1" 2>/dev/null)
for c in $("$VCOURIER" help | awk '/^  [a-z]/ {print $1}'); do
	grep -qE "^ +$c( |$)" <<<"$page" || fail "command $c not in vcourier(1)"
done
