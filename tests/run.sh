#!/bin/sh
# Run every test: the unit-test binaries in $1 (the build folder), then
# the integration suite against ./bantin, JOBS at a time (default: one
# per core), each result printed as it ends. Ends with "N passed, N
# failed". For the cross builds (tests/cross.sh): BANTIN_EMULATOR runs
# each unit test (qemu-arm-static), BANTIN is the server to test, and
# BANTIN_INTEGRATION names the integration tests to run (default: all).
B=${1:-build}
cd "$(dirname "$0")/.." || exit 1
. tests/pool.sh
OUT=$(mktemp -d /tmp/bantin-check.XXXXXX) || exit 1
trap 'rm -rf "$OUT"' EXIT

run_unit() {
	$BANTIN_EMULATOR "$1" >"$OUT/${1##*/}" 2>&1
}

# report_unit BINARY STATUS SECONDS: its last line is "...: N passed, N failed"
report_unit() {
	out=$OUT/${1##*/}
	line=$(tail -n 1 "$out")
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		tail -n 20 "$out"
		echo "$1: crashed or printed no summary (exit $2)"
		p=0 f=1
	elif [ "$2" -ne 0 ] || [ "$f" -ne 0 ]; then
		tail -n 40 "$out"
		[ "$f" -eq 0 ] && f=1
	fi
	echo "unit ${1##*/}: $p passed, $f failed ($3s)"
	pass=$((pass + p)) fail=$((fail + f))
}

pass=0 fail=0
units=
for t in "$B"/test_*; do
	case $t in *.o|*.d) continue ;; esac
	[ -x "$t" ] && units="$units $t"
done
pool run_unit report_unit $units

# check NAME: run tests/NAME.py, whose last line is "NAME: N passed, N
# failed", and count it in
check() {
	python3 "tests/$1.py" >"$OUT/$1" 2>&1
	line=$(tail -n 1 "$OUT/$1")
	p=$(printf '%s\n' "$line" | sed -n "s/^$1: \\([0-9]*\\) passed, \\([0-9]*\\) failed\$/\\1/p")
	f=$(printf '%s\n' "$line" | sed -n "s/^$1: \\([0-9]*\\) passed, \\([0-9]*\\) failed\$/\\2/p")
	if [ -z "$p" ] || [ "$f" -ne 0 ]; then
		cat "$OUT/$1"
		[ -z "$p" ] && p=0 f=1
	fi
	echo "$1: $p passed, $f failed"
	pass=$((pass + p)) fail=$((fail + f))
}
# the include rules of docs/layers.md, checked against the code
check layers
# bantin.ini(5) against config.c and conf/bantin.ini
check manpages

# the integration suite's lines as they come; its summary is added in
sh tests/integration/run.sh $BANTIN_INTEGRATION 2>&1 | while IFS= read -r l; do
	case $l in
	[0-9]*" passed, "[0-9]*" failed") printf '%s\n' "$l" >"$OUT/integration" ;;
	*) printf '%s\n' "$l" ;;
	esac
done
line=$(cat "$OUT/integration" 2>/dev/null)
p=$(printf '%s\n' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
	echo "integration suite printed no summary"
	p=0 f=1
fi
pass=$((pass + p)) fail=$((fail + f))
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
