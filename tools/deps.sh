#!/bin/sh
# Install the Debian/Ubuntu packages bantin needs to build and test,
# only those missing; through sudo when not root. Elsewhere, print them.
# Usage: tools/deps.sh [bench|fuzz|package|cross [ARCH...]]
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
# package above for arm64 and armhf (Debian multiarch), one architecture
# at a time: one whose packages cannot be had (a mirror whose lists for
# it are half synced) is taken out again, and does not stop the other
CROSS_ARCHS="arm64 armhf"
if [ "$1" = cross ]; then
	shift
	if [ $# -ne 1 ]; then
		rc=0
		for a in ${*:-$CROSS_ARCHS}; do
			sh "$0" cross "$a" || rc=1
		done
		exit $rc
	fi
	arch=$1
	case $arch in
	arm64)	cc=gcc-aarch64-linux-gnu ;;
	armhf)	cc=gcc-arm-linux-gnueabihf ;;
	*)	echo "bantin: no cross compiler known for $arch" >&2; exit 1 ;;
	esac
	libs=
	for p in $PKGS; do
		case $p in
		lib*-dev) libs="$libs $p:$arch" ;;
		esac
	done
	PKGS="$libs $cc qemu-user-static"
	set -- cross
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
added=
if [ "$1" = cross ] && ! dpkg --print-foreign-architectures |
    grep -qx "$arch"; then
	$SUDO dpkg --add-architecture "$arch" || exit 1
	added=$arch
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
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing \
    >/dev/null; then
	if [ -n "$added" ]; then
		echo "bantin: the $added packages cannot be installed here" \
		    "(above, apt says why); $added is taken out again" >&2
		$SUDO dpkg --remove-architecture "$added" &&
			$SUDO apt-get update -qq >/dev/null 2>&1
	fi
	exit 1
fi
