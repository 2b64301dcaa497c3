#!/bin/sh
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/board.sh (make bench-board): bantin as a small board runs it.
# The server gets one core (taskset), so the default configuration
# (workers = 0: one per CPU it may run on) starts one worker; the tree
# is tests/gen_scale.py's, 10,000 articles. We report PSS over all its
# processes once the first start's search index is merged and again
# after the latency runs (target: at most 24 MB), and p50 and p99 of
# each kind of page over Gemini (TLS 1.3, resumed) and Gopher, and of
# search over varied queries, each new (bench/queries.py). The result
# goes into the "Board" section of BENCHMARKS.md.
#
# Knobs: BENCH_BOARD_N (10000), BENCH_BOARD_REQS (1000 per latency
# measurement), BENCH_OUT (BENCHMARKS.md), BENCH_BOARD_DIR (where the
# tree goes).

. "$(dirname "$0")/lib.sh"

N=${BENCH_BOARD_N:-10000}
REQS=${BENCH_BOARD_REQS:-1000}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
PSS_MAX_MB=24
T0=$(date +%s)
MD=$TMP/board.md

[ -x "$LOADGEN" ] && [ -x "$BANTIN" ] ||
	{ echo "bench: build first: make bench-board" >&2; exit 1; }

pick_trees "$N" "${BENCH_BOARD_DIR:-}"
make_cert "$TMP"
echo "bench-board: generating $N articles in $WHERE"
python3 "$ROOT/tests/gen_scale.py" "$TREES/board" -n "$N" || exit 1
python3 "$ROOT/bench/queries.py" $((REQS + 10)) > "$TMP/queries" || exit 1

PAGES="home category article date"
path_of()	# page
{
	case $1 in
	home)		echo / ;;
	category)	echo /kinh-te/ ;;
	article)	newest "$TREES/board" kinh-te ;;
	date)		echo /date/2020/05/ ;;
	esac
}

LOADAVG=$(cut -d ' ' -f 1-3 /proc/loadavg)
start_bantin board "$TREES/board"
FIRST_S=$START_S
MERGE_S=$(merged)
sleep 3		# the master's first rescan after start
START_PSS=$(pss_kb $BPID)
NPROC=$(nprocs $BPID)
echo "bench-board: ready in $FIRST_S s, index merged $MERGE_S s later," \
    "PSS $START_PSS KB in $NPROC processes"
for p in $PAGES; do
	path=$(path_of $p)
	set -- $(lat gemini "$path")
	eval "gem50_$p=$1 gem99_$p=$2"
	set -- $(lat gopher "$path")
	eval "gop50_$p=$1 gop99_$p=$2"
done
set -- $(lat_search)
Q50=$1 Q99=$2
LOAD_PSS=$(pss_kb $BPID)
stop $BPID
T1=$(date +%s)

{
	echo "## Board"
	echo
	echo "Produced by \`make bench-board\` (bench/board.sh) on" \
	    "$(date '+%Y-%m-%d %H:%M %Z'), in $((T1 - T0)) s, on" \
	    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
	    "$(nproc) cores, load average $LOADAVG at the start." \
	    "bantin as on a small board: the server pinned to core" \
	    "$SERVER_CORE (taskset), so the default configuration" \
	    "starts one worker ($NPROC processes with the master); the" \
	    "load generator on core $CLIENT_CORE. The tree:" \
	    "tests/gen_scale.py, $N articles, in $WHERE. Latency: $REQS" \
	    "sequential requests (concurrency 1) after 10 to warm up," \
	    "Gemini with TLS 1.3 session resumption, Gopher plain; search:" \
	    "$REQS varied queries, each new (bench/queries.py). A board's" \
	    "slower core stretches the latencies, not the memory."
	echo
	echo "| measure | value | target | result |"
	echo "|---|---|---|---|"
	echo "| first start, $N articles (full index) | $FIRST_S s," \
	    "search index merged $MERGE_S s later | – | |"
	echo "| PSS, all processes: settled after start / after the" \
	    "latency runs | $(mb "$START_PSS") / $(mb "$LOAD_PSS") |" \
	    "≤ $PSS_MAX_MB MB | $(verdict "$START_PSS <= $PSS_MAX_MB * 1024 \
	    && $LOAD_PSS <= $PSS_MAX_MB * 1024") |"
	echo
	echo "| page | Gemini p50 ms | Gemini p99 ms | Gopher p50 ms |" \
	    "Gopher p99 ms |"
	echo "|---|---:|---:|---:|---:|"
	for p in $PAGES; do
		pp=$(path_of $p)
		[ $p = article ] && pp="$(dirname "$pp")/…"
		eval "echo \"| $p ($pp) | \$gem50_$p | \$gem99_$p |" \
		    "\$gop50_$p | \$gop99_$p |\""
	done
	echo "| search, each query new | $Q50 | $Q99 | | |"
	[ -s "$TMP/errors" ] && { echo; echo "Requests that failed:" \
	    "$(tr '\n' ';' < "$TMP/errors")"; }
} > "$MD"
cat "$MD"
python3 "$ROOT/bench/report.py" section --title "## Board" --body "$MD" \
    --out "$OUT"
