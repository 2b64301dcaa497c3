#!/bin/sh
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/scale.sh (make bench-scale): bantin on a newsroom's archive.
# tests/gen_scale.py writes a 100,000-article tree (and a 1,000-article
# one to compare with); bantin is started on each, and we report the
# first start (full index), a restart of the unchanged tree, a reload
# after one article changes, PSS, page latency at 1,000 versus 100,000
# articles, and search latency over varied queries, each one the
# server has not answered before (bench/queries.py). The result goes
# into the "Scale" section of BENCHMARKS.md. The trees are written to
# tmpfs when there is room (creating 100,000 files on a slow disk takes
# minutes and measures the disk, not bantin); bantin's state
# directory, with its catalog, stays on disk in the temp dir.
#
# Knobs: BENCH_SCALE_N (100000), BENCH_SCALE_REQS (500 per latency
# measurement), BENCH_OUT (BENCHMARKS.md), BENCH_SCALE_DIR (where the
# trees go).

. "$(dirname "$0")/lib.sh"

N=${BENCH_SCALE_N:-100000}
SMALL=1000
REQS=${BENCH_SCALE_REQS:-500}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
T0=$(date +%s)
MD=$TMP/scale.md

[ -x "$LOADGEN" ] && [ -x "$BANTIN" ] ||
	{ echo "bench: build first: make bench-scale" >&2; exit 1; }
ulimit -n 65536 2>/dev/null

# where the trees go: tmpfs when it has room (about 4 KB per file)
pick_trees $(( N + SMALL )) "${BENCH_SCALE_DIR:-}"
make_cert "$TMP"

lat_p50()	# gemini|gopher path: the p50 of lat
{
	set -- $(lat "$@")
	echo "$1"
}

# retitle file marker: put marker in front of the article's title
retitle()
{
	python3 - "$1" "$2" <<'EOF'
import sys
p, mark = sys.argv[1], sys.argv[2]
lines = open(p, encoding="utf-8").read().split("\n")
for i, l in enumerate(lines):
    if l.startswith("title: "):
        lines[i] = "title: " + mark + " " + l[7:]
        break
open(p, "w", encoding="utf-8").write("\n".join(lines))
EOF
}

echo "bench-scale: generating $N and $SMALL articles in $WHERE"
t=$(now)
python3 "$ROOT/tests/gen_scale.py" "$TREES/big" -n "$N" || exit 1
GEN_S=$(elapsed "$t")
python3 "$ROOT/tests/gen_scale.py" "$TREES/small" -n "$SMALL" || exit 1

PAGES="article category category-p5 home date"
path_of()	# tree page
{
	case $2 in
	article)	newest "$1" kinh-te ;;
	category)	echo /kinh-te/ ;;
	category-p5)	echo /kinh-te/page/5/ ;;
	home)		echo / ;;
	date)		echo /date/2020/05/ ;;
	esac
}
python3 "$ROOT/bench/queries.py" $((REQS + 10)) > "$TMP/queries" || exit 1

# ---- 1,000 articles, started and left running --------------------------
start_bantin small "$TREES/small"
SMALL_START=$START_S
SMALL_MERGE=$(merged)
SMALL_PSS=$(pss_kb $BPID)
SPID=$BPID S_GEM=$GEM S_GOPH=$GOPH
echo "bench-scale: $SMALL articles: ready in $SMALL_START s, PSS $SMALL_PSS KB"

# ---- 100,000 articles -------------------------------------------------
start_bantin big "$TREES/big"
FIRST_S=$START_S
FIRST_MERGE=$(merged)
FIRST_PSS=$(pss_kb $BPID)
echo "bench-scale: $N articles: first start $FIRST_S s, PSS $FIRST_PSS KB," \
    "search index merged $FIRST_MERGE s later"
stop $BPID
start_bantin big "$TREES/big"
RESTART_S=$START_S
IDLE_PSS=$(pss_kb $BPID)
echo "bench-scale: restart of the unchanged tree: $RESTART_S s"

# ---- page latency, 1,000 against 100,000 ----------------------------------
# Both servers run on the same core; each page is measured on one, then
# on the other, in ROUNDS rounds, and the median p50 of the rounds is
# kept: both see the same weather, the masters' periodic work included.
ROUNDS=${BENCH_SCALE_ROUNDS:-3}
sleep 3		# the masters' first rescan after start
r=1
while [ $r -le "$ROUNDS" ]; do
	for p in $PAGES; do
		k=$(echo $p | tr - _)
		for side in S B; do
			if [ $side = S ]; then
				GEM=$S_GEM GOPH=$S_GOPH tree="$TREES/small"
			else
				eval "set -- \$PORTS_big"
				GEM=$1 GOPH=$2 tree="$TREES/big"
			fi
			path=$(path_of "$tree" $p)
			eval "${side}_gem_${k}_$r=$(lat_p50 gemini "$path")"
			eval "${side}_gop_${k}_$r=$(lat_p50 gopher "$path")"
		done
	done
	r=$((r + 1))
done
median()	# prefix: the median of ${prefix}_1 .. _ROUNDS
{
	i=1
	while [ $i -le "$ROUNDS" ]; do
		eval "echo \$${1}_$i"
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
for p in $PAGES; do
	k=$(echo $p | tr - _)
	for v in S_gem S_gop B_gem B_gop; do
		eval "${v}_$k=$(median ${v}_$k)"
	done
done
GEM=$S_GEM GOPH=$S_GOPH
set -- $(lat_search)
S_qp50=$1 S_qp99=$2
stop $SPID
eval "set -- \$PORTS_big"
GEM=$1 GOPH=$2
set -- $(lat_search)
B_qp50=$1 B_qp99=$2
LOAD_PSS=$(pss_kb $BPID)
NPROC=$(nprocs $BPID)

# one changed article, then SIGHUP: until the new title is served
A=$(newest "$TREES/big" thoi-su)
F=$(ls "$TREES/big$A".* | head -1)
retitle "$F" "RELOAD-HUP"
HUP_S=$(python3 "$ROOT/bench/probe.py" --port "$GEM" --path "$A" \
    --marker "RELOAD-HUP" --hup $BPID --timeout 60)
echo "bench-scale: reload after one changed article (SIGHUP): $HUP_S s"
sleep 1
# and without SIGHUP: the periodic rescan finds it
A2=$(newest "$TREES/big" giao-duc)
F2=$(ls "$TREES/big$A2".* | head -1)
retitle "$F2" "RELOAD-SCAN"
SCAN_S=$(python3 "$ROOT/bench/probe.py" --port "$GEM" --path "$A2" \
    --marker "RELOAD-SCAN" --timeout 60)
echo "bench-scale: change served without SIGHUP: $SCAN_S s"
sleep 1
RELOAD_PSS=$(pss_kb $BPID)
RELOAD_N=$(nprocs $BPID)
# the old workers finish and exit: measure again once they are gone
i=0
while [ "$(nprocs $BPID)" -gt "$NPROC" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5
SETTLED_PSS=$(pss_kb $BPID)
SETTLED_N=$(nprocs $BPID)
RELOADS=$(grep -c 'reloaded' "$LOG")
TROUBLE=$(grep -Ei 'killed by signal|exited with|fatal|sanitizer' "$LOG" |
    head -5)
stop $BPID
CATALOG_KB=$(du -sk "$TMP/state-big" | awk '{ print $1 }')
TREE_KB=$(du -sk "$TREES/big" | awk '{ print $1 }')
T1=$(date +%s)

# ---- report -----------------------------------------------------------
WORST=$(for p in article category category-p5; do
	v=$(echo $p | tr - _)
	eval "echo \$B_gem_$v \$S_gem_$v; echo \$B_gop_$v \$S_gop_$v"
done | awk '$2 > 0 { r = $1 / $2; if (r > m) m = r } END { printf "%.2f", m }')

{
	echo "## Scale"
	echo
	echo "Produced by \`make bench-scale\` (bench/scale.sh) on" \
	    "$(date '+%Y-%m-%d %H:%M %Z'), in $((T1 - T0)) s, on" \
	    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
	    "$(nproc) cores."
	echo "The tree: tests/gen_scale.py, $N articles (seed 1) in 8" \
	    "category folders (2 of them subcategories), Markdown, gemtext," \
	    "plain text and HTML, Vietnamese and English; $(mb "$TREE_KB")" \
	    "written in $GEN_S s to $WHERE. bantin's state directory" \
	    "(catalog and search index, $(mb "$CATALOG_KB") after the run)" \
	    "is on disk. Default configuration: $NPROC processes" \
	    "(master and workers), rescan_interval 2 s. Latency: p50 of" \
	    "$REQS sequential requests (concurrency 1), Gemini with TLS 1.3" \
	    "session resumption, Gopher plain; both servers on core" \
	    "$SERVER_CORE, measured page by page in turn, the median of" \
	    "$ROUNDS rounds; load generator on core $CLIENT_CORE."
	echo
	echo "| measure | value | target | result |"
	echo "|---|---|---|---|"
	echo "| first start, $N articles (full index) | $FIRST_S s | – | |"
	echo "| search index merged, in the background after the first" \
	    "start | $FIRST_MERGE s later | – | |"
	echo "| first start, $SMALL articles | $SMALL_START s | – | |"
	echo "| restart, unchanged tree | $RESTART_S s | < 3 s |" \
	    "$(verdict "$RESTART_S < 3") |"
	echo "| reload after one changed article: SIGHUP to new text served" \
	    "| $HUP_S s | < 1 s | $(case $HUP_S in timeout) echo \
	    '**not met**' ;; *) verdict "$HUP_S < 1" ;; esac) |"
	echo "| the same without SIGHUP (periodic rescan) | $SCAN_S s | – | |"
	echo "| PSS, all processes: after start / after the latency runs /" \
	    "1 s after the second reload ($RELOAD_N processes) / once" \
	    "settled ($SETTLED_N processes) | $(mb "$IDLE_PSS") /" \
	    "$(mb "$LOAD_PSS") / $(mb "$RELOAD_PSS") / $(mb "$SETTLED_PSS")" \
	    "| < 96 MB | $(verdict "$IDLE_PSS < 98304 && \
	    $LOAD_PSS < 98304 && $RELOAD_PSS < 98304 && \
	    $SETTLED_PSS < 98304") |"
	echo "| PSS with $SMALL articles | $(mb "$SMALL_PSS") | – | |"
	echo "| search p50 / p99, $REQS varied queries never asked before" \
	    "(bench/queries.py), $N articles | $B_qp50 / $B_qp99 ms |" \
	    "p50 < 20 ms | $(verdict "$B_qp50 < 20") |"
	echo "| article and category pages: worst ratio of p50 at $N to" \
	    "p50 at $SMALL | $WORST× | ≤ 1.2× | $(verdict "$WORST <= 1.2") |"
	echo
	echo "| page | Gemini p50 ms, $SMALL | Gemini p50 ms, $N | ratio |" \
	    "Gopher p50 ms, $SMALL | Gopher p50 ms, $N | ratio |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for p in $PAGES; do
		v=$(echo $p | tr - _)
		eval "sg=\$S_gem_$v bg=\$B_gem_$v sp=\$S_gop_$v bp=\$B_gop_$v"
		pp=$(path_of "$TREES/big" $p)
		[ $p = article ] && pp="$(dirname "$pp")/…"
		echo "| $p ($pp) | $sg | $bg |" \
		    "$(ratio "$bg" "$sg") | $sp | $bp | $(ratio "$bp" "$sp") |"
	done
	echo "| search, $REQS varied queries, each new: p50 | $S_qp50 |" \
	    "$B_qp50 | $(ratio "$B_qp50" "$S_qp50") | | | |"
	echo "| the same: p99 | $S_qp99 | $B_qp99 |" \
	    "$(ratio "$B_qp99" "$S_qp99") | | | |"
	echo
	echo "Reloads logged: $RELOADS."
	[ -s "$TMP/errors" ] && echo "Requests that failed:" \
	    "$(tr '\n' ';' < "$TMP/errors")"
	[ -n "$TROUBLE" ] && { echo; echo "bantin logged:"; echo;
	    echo "$TROUBLE" | sed 's/^/    /'; }
} > "$MD"
cat "$MD"
python3 "$ROOT/bench/report.py" section --body "$MD" --out "$OUT"
