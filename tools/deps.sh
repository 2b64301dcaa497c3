#!/bin/sh
# Install the Debian/Ubuntu packages bantin needs to build and test,
# only those missing; through sudo when not root. Elsewhere, print them.
# Usage: tools/deps.sh [bench|fuzz|package|cross]
PKGS="gcc make pkg-config libssl-dev libmagic-dev libiniparser-dev
liblowdown-dev libxml2-dev libutf8proc-dev libsqlite3-dev libseccomp-dev
libhiredis-dev libzstd-dev openssl python3 curl lynx procps tzdata mandoc
haproxy redis-server"
[ "$1" = bench ] && PKGS="$PKGS molly-brown gophernicus systemd util-linux iproute2"
# clang, its sanitizer and libFuzzer runtimes, llvm-symbolizer for traces
[ "$1" = fuzz ] && PKGS="$PKGS clang libclang-rt-dev llvm"
# make deb and its checks: dpkg-buildflags and dpkg-shlibdeps, lintian,
# systemd-analyze for the unit, ip for the namespace dpkg -i is tried in
[ "$1" = package ] && PKGS="$PKGS dpkg-dev lintian systemd iproute2"
# the ARM cross compilers, the emulator, and every library's development
# package above for arm64 and armhf (Debian multiarch)
CROSS_ARCHS="arm64 armhf"
if [ "$1" = cross ]; then
	for p in $PKGS; do
		case $p in
		lib*-dev) for a in $CROSS_ARCHS; do PKGS="$PKGS $p:$a"; done ;;
		esac
	done
	PKGS="$PKGS gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf qemu-user-static"
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "bantin: not a Debian-like system; install the equivalents of:"
	echo "  $PKGS" | tr '\n' ' '; echo
	exit 0
fi
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "bantin: installing:$missing"
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
if [ "$1" = cross ]; then
	for a in $CROSS_ARCHS; do
		dpkg --print-foreign-architectures | grep -qx "$a" ||
			$SUDO dpkg --add-architecture "$a" || exit 1
	done
fi
# a mirror in the middle of a sync fails an update now and then ("File
# has unexpected size"): try again, then go on with the lists fetched
# (the install says whether what it needs is there)
tries=0
until $SUDO apt-get update -qq; do
	tries=$((tries + 1))
	if [ $tries -ge 3 ]; then
		echo "bantin: apt-get update failed; installing from the" \
		    "package lists as they are" >&2
		break
	fi
	sleep 10
done
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
