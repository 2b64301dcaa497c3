#!/bin/sh
# deb.sh [folder]: bantin_VERSION_ARCH.deb in folder (default: the
# checkout), built with dpkg-deb over a make install tree. The build
# has its own objects (build-deb/), made with Debian's hardening flags
# (dpkg-buildflags); the maintainer scripts and lintian overrides are
# in dist/debian/. Then lintian, when installed, checks the package.
# Needs dpkg-dev (dpkg-buildflags, dpkg-shlibdeps); tools/deps.sh
# package installs it and lintian.
set -e
cd "$(dirname "$0")/.."
OUT=$(cd "${1:-.}" && pwd)
B=build-deb
# dpkg-shlibdeps takes the tree for the package's own, as debhelper lays it out
ROOT=$B/debian/bantin
V=$(cat VERSION)
ARCH=$(dpkg --print-architecture)
DEB=$OUT/bantin_${V}_$ARCH.deb
umask 022

# Debian's hardening, all of it (bind now and PIE too); the Makefile
# adds its own flags to these
DEB_BUILD_MAINT_OPTIONS=hardening=+all
export DEB_BUILD_MAINT_OPTIONS
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS
# every date in the package is the last commit's, so that the same
# tree builds the same package
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null) ||
	SOURCE_DATE_EPOCH=$(date +%s)
export SOURCE_DATE_EPOCH
# the folder systemd's own units are in (/lib on Debian 12)
UNITDIR=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null) ||
	UNITDIR=/lib/systemd/system
[ -n "$UNITDIR" ] || UNITDIR=/lib/systemd/system
# in parallel, unless a make above already runs jobs
case " $MAKEFLAGS" in
*jobserver*|*" -j"*) J= ;;
*) J=-j$(nproc 2>/dev/null || echo 2) ;;
esac

# make tracks files, not the flags they were built with: objects made
# with other flags go
if [ "$(cat $B/flags 2>/dev/null)" != "$CFLAGS $LDFLAGS" ]; then
	rm -rf $B
	mkdir -p $B
	echo "$CFLAGS $LDFLAGS" >$B/flags
fi
rm -rf "$ROOT"
${MAKE:-make} $J B=$B FLAVOUR=$B/flavour SANITIZE= PREFIX=/usr \
    SYSCONFDIR=/etc UNITDIR="$UNITDIR" DESTDIR="$PWD/$ROOT" install
strip --remove-section=.comment --remove-section=.note --strip-unneeded \
    "$ROOT/usr/sbin/bantin"
gzip -9n "$ROOT/usr/share/man/man8/bantin.8" \
    "$ROOT/usr/share/man/man5/bantin.ini.5"

# documentation: the licence in Debian's copyright format, a changelog
DOC=$ROOT/usr/share/doc/bantin
mkdir -p "$DOC" "$ROOT/usr/share/lintian/overrides"
{
	echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
	echo "Upstream-Name: bantin"
	echo
	echo "Files: *"
	echo "Copyright: $(sed -n 's/^Copyright (c) //p' LICENSE)"
	echo "License: ISC"
	sed -e '1,/^$/d' -e 's/^$/./' -e 's/^/ /' LICENSE
} >"$DOC/copyright"
{
	echo "bantin ($V) unstable; urgency=medium"
	echo
	echo "  * bantin $V."
	echo
	echo " -- bantin authors <dev@bantin.invalid>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$DOC/changelog.gz"
cp dist/debian/lintian-overrides "$ROOT/usr/share/lintian/overrides/bantin"

# the control area
mkdir -p "$ROOT/DEBIAN"
for s in postinst prerm postrm; do
	install -m 755 "dist/debian/$s" "$ROOT/DEBIAN/$s"
done
echo /etc/bantin/bantin.ini >"$ROOT/DEBIAN/conffiles"
printf 'Source: bantin\n\nPackage: bantin\nArchitecture: any\n' \
    >$B/debian/control
DEPENDS=$(cd $B && dpkg-shlibdeps -O -edebian/bantin/usr/sbin/bantin |
    sed -n 's/^shlibs:Depends=//p')
SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
sed -e "s/@VERSION@/$V/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$SIZE/" \
    -e "s/@DEPENDS@/$DEPENDS, adduser/" dist/debian/control \
    >"$ROOT/DEBIAN/control"
(cd "$ROOT" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' |
    LC_ALL=C sort -z | xargs -0 md5sum) >"$ROOT/DEBIAN/md5sums"

dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB"
if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error,warning --info "$DEB"
else
	echo "deb.sh: no lintian here (tools/deps.sh package installs it)"
fi
echo "$DEB"
