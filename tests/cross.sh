#!/bin/sh
# tests/cross.sh ARCH... (make check-cross): each cross build of make
# cross-ARCH tested under qemu-user-static, as tests/run.sh tests the
# native one: every unit test in build-ARCH/, the include rules, and
# the board tests (tests_board.sh: start, pages over both protocols,
# search, counts past 2^32, a file past 4 GB) and two of Redis (its
# deadlines, which a 32-bit libhiredis read wrong; a unix socket)
# against build-ARCH/bantin.
# The emulator runs each binary as a command (no binfmt_misc needed)
# and finds the ARCH's libc and libraries where Debian's multiarch
# packages put them; never point it at the cross toolchain's copies
# (qemu -L /usr/<triplet>): there a forked child spins forever. Ends
# with "N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
OUT=$(mktemp -d /tmp/bantin-cross.XXXXXX) || exit 1
trap 'rm -rf "$OUT"' EXIT

pass=0 fail=0
for a; do
	case $a in
	arm64)	q=qemu-aarch64-static ;;
	armhf)	q=qemu-arm-static ;;
	*)	echo "cross: no emulator known for $a"; fail=$((fail + 1))
		continue ;;
	esac
	if [ ! -x "build-$a/bantin" ] || ! command -v $q >/dev/null; then
		echo "cross: no build-$a/bantin or no $q: make cross-$a"
		fail=$((fail + 1))
		continue
	fi
	# tests/integration/lib.sh runs "$BANTIN": one path
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' $q "$PWD/build-$a/bantin" \
	    >"$OUT/bantin-$a"
	chmod +x "$OUT/bantin-$a"
	echo "== $a ($q)"
	BANTIN_EMULATOR=$q BANTIN=$OUT/bantin-$a \
	    BANTIN_INTEGRATION="test_board_smoke test_board_file_over_4gb \
	    test_redis_deadlines test_redis_unix_socket" \
	    sh tests/run.sh "build-$a" | tee "$OUT/$a.log"
	line=$(tail -n 1 "$OUT/$a.log")
	p=$(printf '%s\n' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	[ -z "$p" ] && p=0 f=1
	pass=$((pass + p)) fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
