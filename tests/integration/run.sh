#!/bin/sh
# run.sh [test_name...]: the integration suite. Each test_* function in
# tests*.sh runs in a subshell with its own scratch folder, ports and
# server; JOBS of them at a time (default: one per core), each result
# printed as it ends; the suite ends with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 1
. tests/pool.sh
. tests/integration/lib.sh
for f in tests/integration/tests_*.sh; do . "$f"; done

[ -x "$BANTIN" ] || { echo "no $BANTIN: run make first"; echo "0 passed, 1 failed"; exit 1; }
if [ $# -gt 0 ]; then
	list=$*
else
	list=$(cat tests/integration/tests_*.sh | sed -n 's/^\(test_[a-z0-9_]*\)() *{.*/\1/p')
fi
OUT=$(mktemp -d /tmp/bantin-run.XXXXXX) || exit 1

run_test() {
	( trap teardown EXIT; set -ex; $1 ) >"$OUT/$1" 2>&1
}

# report TEST STATUS SECONDS
report() {
	if [ "$2" -eq 0 ]; then
		pass=$((pass + 1)); echo "ok   $1 ($3s)"
	else
		fail=$((fail + 1)); echo "FAIL $1 ($3s)"
		sed 's/^/    /' "$OUT/$1" | tail -n 30
	fi
}

pass=0 fail=0
pool run_test report $list
rm -rf "$OUT"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
