#!/bin/sh
# tools/mkdeb.sh ROOT VERSION OUTDIR: turns a `make install DESTDIR=ROOT
# PREFIX=/usr` tree into OUTDIR/vcourier_VERSION_ARCH.deb with dpkg-deb
# (no debhelper: the tree is already staged). Runtime dependencies are the
# packages of the shared libraries the binary links, by dpkg-shlibdeps.
set -eu
root=$(cd "$1" && pwd)
version=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
arch=$(dpkg --print-architecture)
here=$(cd "$(dirname "$0")/.." && pwd)
deb="$out/vcourier_${version}_${arch}.deb"

# a package carries no debug info (the build folder keeps it)
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/vcourier"
# man pages compressed, as Debian policy wants
find "$root/usr/share/man" -type f ! -name '*.gz' -exec gzip -9n {} +
doc="$root/usr/share/doc/vcourier"
mkdir -p "$doc"
{
	echo "vcourier ($version) unstable; urgency=medium"
	echo
	echo "  * Release $version (built from the vcourier repository)."
	echo
	echo " -- vcourier maintainers <vcourier-maintainers@example.org>  $(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n >"$doc/changelog.gz"
cat >"$doc/copyright" <<'COPY'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: vcourier
Comment: the repository states no license; ask its maintainers.

Files: *
Copyright: 2026 the vcourier authors
License: not stated
COPY

# dpkg-shlibdeps wants a debian/control beside it
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debian"
printf 'Source: vcourier\n\nPackage: vcourier\nArchitecture: any\n' >"$work/debian/control"
# (its warning that the binary is not yet in its package's folder is expected)
(cd "$work" && dpkg-shlibdeps -O -e"$root/usr/bin/vcourier" 2>"$work/err") >"$work/substvars" ||
	{ cat "$work/err" >&2; exit 70; }
shlibs=$(sed -n 's/^shlibs:Depends=//p' "$work/substvars")
[ -n "$shlibs" ] || { echo "mkdeb: dpkg-shlibdeps found no dependencies" >&2; exit 70; }

# The tree holds /etc/vcourier only as folders made by `make install`:
# postinst creates them with the right owners instead.
rm -rf "$root/etc"
mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CTRL
Package: vcourier
Version: $version
Architecture: $arch
Maintainer: vcourier maintainers <vcourier-maintainers@example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $shlibs, adduser, init-system-helpers (>= 1.52)
Recommends: postgresql-client
Suggests: postgresql
Section: misc
Priority: optional
Description: nightly pickup planning and manifest delivery for rural couriers
 vcourier imports hubs, pickup points, couriers and orders into PostgreSQL,
 plans each night's pickup routes, writes one manifest per courier and
 posts it, gzipped and signed, to the courier's endpoint, retrying under
 the same Idempotency-Key. Ships systemd timers (installed disabled), man
 pages and an operations guide; it never touches a database by itself.
CTRL
for s in postinst prerm postrm; do
	install -m 0755 "$here/packaging/debian/$s" "$root/DEBIAN/$s"
done
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | sort |
	xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"
mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
