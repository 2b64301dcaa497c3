#!/bin/sh
# Run every test: the unit-test binaries in $1 (the build folder), then
# the integration suite against ./bantin. Ends with "N passed, N failed".
B=${1:-build}
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0
for t in "$B"/test_*; do
	case $t in *.o|*.d) continue ;; esac
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	line=$(printf '%s\n' "$out" | tail -n 1)
	p=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s\n' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		printf '%s\n' "$out" | tail -n 20
		echo "$t: crashed or printed no summary (exit $rc)"
		p=0 f=1
	elif [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		printf '%s\n' "$out" | tail -n 40
		[ "$f" -eq 0 ] && f=1
	fi
	echo "unit $(basename "$t"): $p passed, $f failed"
	pass=$((pass + p)) fail=$((fail + f))
done
out=$(sh tests/integration/run.sh 2>&1); rc=$?
printf '%s\n' "$out" | sed '$d'
line=$(printf '%s\n' "$out" | tail -n 1)
p=$(printf '%s\n' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(printf '%s\n' "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
	echo "$line"
	echo "integration suite printed no summary (exit $rc)"
	p=0 f=1
fi
pass=$((pass + p)) fail=$((fail + f))
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
