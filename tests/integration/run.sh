#!/bin/sh
# run.sh [test_name...]: the integration suite. Each test_* function in
# tests*.sh runs in a subshell with its own scratch folder and server;
# the suite ends with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
for f in tests/integration/tests_*.sh; do . "$f"; done

[ -x "$BANTIN" ] || { echo "no $BANTIN: run make first"; echo "0 passed, 1 failed"; exit 1; }
if [ $# -gt 0 ]; then
	list=$*
else
	list=$(cat tests/integration/tests_*.sh | sed -n 's/^\(test_[a-z0-9_]*\)() *{.*/\1/p')
fi
pass=0 fail=0
for t in $list; do
	start=$(date +%s)
	( trap teardown EXIT; set -ex; $t ) >"${TMPDIR:-/tmp}/bantin-run-$$-$t.out" 2>&1
	rc=$?
	took=$(( $(date +%s) - start ))
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); echo "ok   $t (${took}s)"
	else
		fail=$((fail + 1)); echo "FAIL $t (${took}s)"; sed 's/^/    /' "${TMPDIR:-/tmp}/bantin-run-$$-$t.out" | tail -n 30
	fi
	rm -f "${TMPDIR:-/tmp}/bantin-run-$$-$t.out"
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
