#!/bin/sh
# Install the Debian/Ubuntu packages bantin needs to build and test,
# only those missing; through sudo when not root. Elsewhere, print them.
# Usage: tools/deps.sh [bench|fuzz]
PKGS="gcc make pkg-config libssl-dev libmagic-dev libiniparser-dev
liblowdown-dev libxml2-dev libutf8proc-dev libsqlite3-dev libseccomp-dev
openssl
python3 curl lynx procps tzdata"
[ "$1" = bench ] && PKGS="$PKGS molly-brown gophernicus systemd util-linux iproute2"
# clang, its sanitizer and libFuzzer runtimes, llvm-symbolizer for traces
[ "$1" = fuzz ] && PKGS="$PKGS clang libclang-rt-dev llvm"

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
$SUDO apt-get update -qq || exit 1
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
