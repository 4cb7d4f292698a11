#!/bin/sh
# Installs the Debian packages that are missing; a no-op when all are there.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
# one apt at a time among vcourier's own runs (see .ci/run)
APT_LOCK=/tmp/vcourier-apt.lock
$SUDO flock "$APT_LOCK" apt-get update -qq &&
	DEBIAN_FRONTEND=noninteractive $SUDO flock "$APT_LOCK" \
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null
