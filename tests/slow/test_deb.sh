#!/bin/bash
# Packaging (issue 13), against this machine (CI runs as root):
#  - `make install` into a temporary prefix: files and modes, the example
#    config 0600 and never overwritten, `systemd-analyze verify` clean on
#    the installed units, `make uninstall` leaves only the config folder;
#  - `make deb` from a fresh build folder: dpkg-deb -I/-c, runtime
#    dependencies by library package (no -dev), then dpkg -i on this
#    machine: the system user, units installed and disabled, the example
#    config 0600 not overwritten by a reinstall, no database touched,
#    `vcourier --version` and `man vcourier` from the installed paths, the
#    man pages lint clean, `systemd-analyze verify` clean; the installed
#    binary given a courier key through $CREDENTIALS_DIRECTORY signs that
#    courier's manifests (verified by the endpoint); dpkg -r then -P remove
#    it cleanly.
# dpkg runs under flock /tmp/apt.lock (the dpkg lock is shared with other
# builds on the machine).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/integration/deliver_lib.sh"
[ "$(id -u)" -eq 0 ] || fail "needs root (dpkg -i); CI runs as root"
for t in dpkg-deb dpkg-shlibdeps systemd-analyze man mandoc; do
	command -v "$t" >/dev/null || fail "$t missing (make deps)"
done
# The package is machine-wide: two test runs on one machine (two clones
# tested at once) take turns here instead of failing on each other's
# install; the lock goes with this shell.
exec 9>/run/lock/vcourier-test-deb.lock
flock -w 1800 9 || fail "another test run held the package test's lock for 30 minutes"
if dpkg-query -W -f='${Status}' vcourier 2>/dev/null | grep -q "ok installed"; then
	fail "a vcourier package is already installed on this machine; remove it first"
fi
dpkg_locked() { flock /tmp/apt.lock "$@"; }
# slim Docker images exclude man pages and docs (path-exclude in
# /etc/dpkg/dpkg.cfg.d); the command line's includes come after and win
dpkg_install() {
	dpkg_locked dpkg --path-include='/usr/share/man/*' --path-include='/usr/share/doc/vcourier/*' -i "$1"
}
t_on_exit "dpkg-query -W vcourier >/dev/null 2>&1 && flock /tmp/apt.lock dpkg -P vcourier >/dev/null 2>&1"

# no output at all, and exit 0: systemd-analyze only warns on stderr
verify_units() {
	local out
	out=$(MANPATH=${MANPATH_FOR_VERIFY:-} systemd-analyze verify "$@" 2>&1) ||
		fail "systemd-analyze verify failed: $out"
	[ -z "$out" ] || fail "systemd-analyze verify warned: $out"
}
# (this mandoc does not read .gz itself: lint a decompressed copy)
lint_man() {
	local out p plain
	for p in "$@"; do
		plain=$T_TMP/lint-$(basename "$p" .gz)
		case $p in *.gz) zcat "$p" >"$plain" ;; *) cp "$p" "$plain" ;; esac
		out=$(mandoc -T lint "$plain" 2>&1) || fail "mandoc -T lint $p: $out"
		[ -z "$out" ] || fail "mandoc -T lint $p: $out"
		out=$(man --warnings -l "$p" 2>&1 >/dev/null)
		[ -z "$out" ] || fail "man --warnings $p: $out"
	done
}

B=$T_TMP/build
note "make deb (fresh build folder)"
make -C "$ROOT" -j2 deb BUILD="$B" >"$T_TMP/make.log" 2>&1 || fail "make deb: $(tail -n 20 "$T_TMP/make.log")"
version=$(cat "$B/vc_build_version.h" | sed -n 's/^#define VC_VERSION "\(.*\)"$/\1/p')
arch=$(dpkg --print-architecture)
deb="$B/vcourier_${version}_${arch}.deb"
[ -f "$deb" ] || fail "no $deb: $(ls "$B")"

# --- make install / uninstall into a temporary prefix ---
P=$T_TMP/prefix
make -C "$ROOT" install BUILD="$B" PREFIX="$P" SYSCONFDIR="$P/etc" >"$T_TMP/install.log" 2>&1 ||
	fail "make install: $(tail "$T_TMP/install.log")"
for f in bin/vcourier share/man/man1/vcourier.1 share/man/man5/vcourier.conf.5 \
	share/bash-completion/completions/vcourier share/doc/vcourier/operations.md \
	share/vcourier/vcourier.conf.example lib/systemd/system/vcourier-nightly.service \
	lib/systemd/system/vcourier-nightly.timer lib/systemd/system/vcourier-deliver.service \
	lib/systemd/system/vcourier-deliver.timer; do
	[ -f "$P/$f" ] || fail "make install did not install $f"
done
assert_eq "$(stat -c %a "$P/etc/vcourier/vcourier.conf")" 600 "example config mode"
assert_eq "$(stat -c %a "$P/etc/vcourier/credentials")" 700 "credentials folder mode"
grep -qx "ExecStart=$P/bin/vcourier nightly --json" "$P/lib/systemd/system/vcourier-nightly.service" ||
	fail "the unit does not run the installed binary"
echo "db = kept-by-test" >>"$P/etc/vcourier/vcourier.conf"
make -C "$ROOT" install BUILD="$B" PREFIX="$P" SYSCONFDIR="$P/etc" >"$T_TMP/install.log" 2>&1 || fail "second make install"
assert_eq "$(tail -n 1 "$P/etc/vcourier/vcourier.conf")" "db = kept-by-test" "make install overwrote the config"
MANPATH_FOR_VERIFY=$P/share/man verify_units "$P"/lib/systemd/system/vcourier-*
lint_man "$P/share/man/man1/vcourier.1" "$P/share/man/man5/vcourier.conf.5"
assert_eq "$("$P/bin/vcourier" --version | head -n 1)" "vcourier $version"
make -C "$ROOT" uninstall BUILD="$B" PREFIX="$P" SYSCONFDIR="$P/etc" >"$T_TMP/uninstall.log" 2>&1 || fail "make uninstall"
assert_eq "$(cd "$P" && find . -type f | sort)" "./etc/vcourier/vcourier.conf" "left after make uninstall"

# --- the package, inspected ---
info=$(dpkg-deb -I "$deb")
assert_contains "$info" "Package: vcourier"
assert_contains "$info" "Version: $version"
depends=$(dpkg-deb -f "$deb" Depends)
for p in libpq5 libcurl4 zlib1g libjansson4 libssl3 libqrencode4 coinor-libcbc3 adduser; do
	grep -qE "(^|, )$p( |,|$)" <<<"$depends" || fail "Depends lacks $p: $depends"
done
grep -q -- "-dev" <<<"$depends" && fail "Depends names a -dev package: $depends"
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/bin/vcourier ./usr/share/man/man1/vcourier.1.gz ./usr/share/man/man5/vcourier.conf.5.gz \
	./lib/systemd/system/vcourier-nightly.service ./lib/systemd/system/vcourier-nightly.timer \
	./lib/systemd/system/vcourier-deliver.service ./lib/systemd/system/vcourier-deliver.timer \
	./usr/share/doc/vcourier/operations.md ./usr/share/doc/vcourier/copyright \
	./usr/share/bash-completion/completions/vcourier; do
	grep -qx -- "$f" <<<"$contents" || fail "$f not in the package"
done
grep -q "^./etc/" <<<"$contents" && fail "the package ships files in /etc: $(grep '^./etc/' <<<"$contents")"

# --- installed on this machine ---
# The databases other than those the suite's concurrent tests make and drop
# (t_PID_N, rl_PID_N, rl_tpl_PID_N: tests/lib.sh, crash_lib.sh).
other_dbs() {
	psql -XAtq -d postgres -c "SELECT datname FROM pg_database
	                           WHERE datname !~ '^(t|rl|rl_tpl)_[0-9]+_[0-9]+\$' ORDER BY 1"
}
dbs_before=$(other_dbs)
dpkg_install "$deb" >"$T_TMP/dpkg.log" 2>&1 || fail "dpkg -i: $(cat "$T_TMP/dpkg.log")"
assert_eq "$(other_dbs)" "$dbs_before" "databases after dpkg -i"
getent passwd vcourier >/dev/null || fail "no system user vcourier"
[ "$(id -u vcourier)" -lt 1000 ] || fail "vcourier is not a system user: uid $(id -u vcourier)"
assert_eq "$(stat -c '%a %U' /etc/vcourier/vcourier.conf)" "600 vcourier" "installed config"
assert_eq "$(stat -c '%a %U' /etc/vcourier/credentials)" "700 root" "credentials folder"
for t in vcourier-nightly.timer vcourier-deliver.timer; do
	assert_eq "$(systemctl is-enabled "$t" 2>/dev/null || true)" disabled "$t after install"
done
echo "# kept by test_deb" >>/etc/vcourier/vcourier.conf
dpkg_install "$deb" >"$T_TMP/dpkg.log" 2>&1 || fail "dpkg -i again: $(cat "$T_TMP/dpkg.log")"
assert_eq "$(tail -n 1 /etc/vcourier/vcourier.conf)" "# kept by test_deb" "reinstall overwrote the config"

assert_eq "$(command -v vcourier)" /usr/bin/vcourier
assert_exit 0 /usr/bin/vcourier --version
assert_eq "$(head -n 1 <<<"$T_OUT")" "vcourier $version"
for lib in libpq libcurl zlib jansson OpenSSL libqrencode CBC; do assert_contains "$T_OUT" "$lib "; done
assert_eq "$T_OUT" "$(/usr/bin/vcourier version)" "--version and version"
page=$(MANWIDTH=80 man -P cat vcourier 2>&1) || fail "man vcourier: $page"
assert_contains "$page" "vcourier - plan parcel pickups"
assert_contains "$page" "CREDENTIALS_DIRECTORY"
page=$(MANWIDTH=80 man -P cat 5 vcourier.conf 2>&1) || fail "man 5 vcourier.conf: $page"
# every key of the typed config table (the generator's .TP entries) is on it
keys=$("$B/tools/config_man" | sed -n '/^\.TP$/{n;s/^\.B //;/\\f/d;p;}')
[ "$(wc -l <<<"$keys")" -ge 10 ] || fail "too few keys from tools/config_man: $keys"
for k in $keys; do assert_contains "$page" "$k" "key $k in vcourier.conf(5)"; done
lint_man /usr/share/man/man1/vcourier.1.gz /usr/share/man/man5/vcourier.conf.5.gz
verify_units /lib/systemd/system/vcourier-nightly.service /lib/systemd/system/vcourier-nightly.timer \
	/lib/systemd/system/vcourier-deliver.service /lib/systemd/system/vcourier-deliver.timer

# The installed binary, a courier key given only as a credential file: the
# endpoint verifies C1's signature with it.
VCOURIER=/usr/bin/vcourier
t_newdb
echo "C1 $DL_KEY" >"$T_TMP/keys"
dl_endpoint ep --keys "$T_TMP/keys"
dl_config
dl_hub
dl_courier C1 "http://127.0.0.1:$DL_PORT/couriers/C1"
dl_manifest M-C1-1 C1
dl_manifest M-C1-2 C1 2
creds=$T_TMP/creds
mkdir -m 700 "$creds"
install -m 0400 /dev/null "$creds/courier.C1.key"
printf '%s\n' "$DL_KEY" >"$creds/courier.C1.key"
unset VCOURIER_KEY_C1 || true
CREDENTIALS_DIRECTORY=$creds assert_exit 0 /usr/bin/vcourier deliver
assert_eq "$(dl_requests ep 'r["courier"], r["status"], r["sig_ok"], r["user_agent"]' | sort -u)" \
	"('C1', 201, True, 'vcourier/$version')" "what the endpoint verified"
assert_eq "$(dl_status M-C1-1) $(dl_status M-C1-2)" "delivered 1 201 delivered 1 201"

# --- removed, then purged ---
dpkg_locked dpkg -r vcourier >"$T_TMP/dpkg.log" 2>&1 || fail "dpkg -r: $(cat "$T_TMP/dpkg.log")"
for f in /usr/bin/vcourier /lib/systemd/system/vcourier-nightly.service /usr/share/man/man1/vcourier.1.gz; do
	[ ! -e "$f" ] || fail "$f left after dpkg -r"
done
[ -f /etc/vcourier/vcourier.conf ] || fail "dpkg -r removed the config (only purge does)"
dpkg_locked dpkg -P vcourier >"$T_TMP/dpkg.log" 2>&1 || fail "dpkg -P: $(cat "$T_TMP/dpkg.log")"
[ ! -e /etc/vcourier ] || fail "/etc/vcourier left after purge: $(ls -la /etc/vcourier)"
dpkg-query -W vcourier >/dev/null 2>&1 && fail "vcourier still known to dpkg"
true
