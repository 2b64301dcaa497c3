#!/bin/sh
# run.sh [seconds [harness...]]: run each libFuzzer harness of
# build-fuzz/ (make fuzz) for a while (default 20 s) from its seed
# corpus, tests/fuzz/corpus/<harness>/ (and the converters' golden
# sources in tests/fixtures/convert/), which is read and never written
# (what a run finds new goes to a scratch folder). A crash, a sanitizer
# report, a leak or a slow input (-timeout) fails the harness; its
# reproducer is kept in build-fuzz/findings/. Prints one line per
# harness with its speed, then "fuzz: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 1
T=${1:-20}
[ $# -gt 0 ] && shift
list=$*
[ -n "$list" ] || list=$(ls build-fuzz/ | sed -n 's/^fuzz_\([a-z_]*\)$/\1/p')
[ -n "$list" ] || { echo "no harness in build-fuzz/: run make fuzz"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
# A smaller quarantine than ASan's 256 MB: freed memory is reused while
# its pages are still mapped. Each run allocates tens of KB (libxml2's
# tree most), and until 256 MB had gone by every allocation touched
# fresh pages: most of a 20 s run went to page faults. A use after free
# within one input is caught all the same.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=32}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
SCRATCH=$(mktemp -d /tmp/bantin-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p build-fuzz/findings
pass=0 fail=0
for h in $list; do
	bin=build-fuzz/fuzz_$h
	mkdir -p "$SCRATCH/$h"
	out=$SCRATCH/$h.log
	if [ ! -x "$bin" ]; then
		echo "fuzz $h: no $bin"; fail=$((fail + 1)); continue
	fi
	# the converters also start from the golden tests' sources
	extra=
	case $h in md|html|txt|gemtext) extra=tests/fixtures/convert ;; esac
	"$bin" -max_total_time="$T" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$h-" \
	    "$SCRATCH/$h" "tests/fuzz/corpus/$h" $extra >"$out" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out")
	secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out")
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		echo "fuzz $h: ok, ${runs:-?} runs, ${secs:-?}/s"
	else
		fail=$((fail + 1))
		echo "fuzz $h: FAILED (exit $rc)"
		grep -A 25 'ERROR: \|runtime error\|FUZZ_ASSERT\|Test unit written' "$out" | head -n 60 | sed 's/^/    /'
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
