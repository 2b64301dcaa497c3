#!/bin/sh
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/scale.sh (make bench-scale): bantin on a newsroom's archive.
# tests/gen_scale.py writes an N-article tree (BENCH_SCALE_N, 100,000
# by default; 1,000,000 for a national archive) and a 1,000-article one
# to compare with; bantin is started on each, and we report the first
# start (until every page and the whole search index are ready), a
# restart of the unchanged tree, a reload after one article changes,
# the catalog's size on disk against the tree's, PSS, page latency at
# 1,000 versus N articles, and search latency over varied queries, each
# one the server has not answered before (bench/queries.py), against
# the targets for that size. The cheap measures are taken RUNS times
# and reported as min / median / max (the verdict is the median's); the
# first start FIRST_RUNS times. The machine's load average is given at
# the start of each run: on a shared machine, time is noisy. The result
# goes into the "Scale" section of BENCHMARKS.md, in a part of its own
# for each size. The trees are written to tmpfs when there is room
# (creating 100,000 files on a slow disk takes minutes and measures the
# disk, not bantin); bantin's state directory, with its catalog, stays
# on disk in the temp dir.
#
# Knobs: BENCH_SCALE_N (100000), BENCH_SCALE_REQS (500 per latency
# measurement), BENCH_SCALE_RUNS (3), BENCH_SCALE_FIRST_RUNS (3),
# BENCH_SCALE_ROUNDS (3, of page latency),
# BENCH_OUT (BENCHMARKS.md), BENCH_SCALE_DIR (where the trees go).

. "$(dirname "$0")/lib.sh"

N=${BENCH_SCALE_N:-100000}
SMALL=1000
REQS=${BENCH_SCALE_REQS:-500}
RUNS=${BENCH_SCALE_RUNS:-3}
# three first starts at any size: on a shared machine one at a million
# articles came out anywhere from 93 to 126 s
FIRST_RUNS=${BENCH_SCALE_FIRST_RUNS:-3}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
T0=$(date +%s)
MD=$TMP/scale.md

# the targets (issue 16's table): up to 100,000 articles, and past it
if [ "$N" -gt 100000 ]; then
	T_FIRST=120 T_RESTART=5 T_HUP=1 T_PSS_MB=200 T_Q50=10 T_Q99=30
	T_PAGE=1.2
else
	T_FIRST=10 T_RESTART=0.5 T_HUP=0.3 T_PSS_MB=40 T_Q50=5 T_Q99=15
	T_PAGE=1.1
fi
T_DISK=0.8

[ -x "$LOADGEN" ] && [ -x "$BANTIN" ] ||
	{ echo "bench: build first: make bench-scale" >&2; exit 1; }
ulimit -n 65536 2>/dev/null

loadavg()
{
	cut -d' ' -f1 /proc/loadavg
}

# spread v1 v2 ...: "min / median / max", or the one value
spread()
{
	echo "$@" | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 }
	    END { if (NR == 1) print v[1];
	    else printf "%s / %s / %s", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

# med v1 v2 ...: the median
med()
{
	echo "$@" | tr ' ' '\n' | sort -g |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

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

echo "bench-scale: generating $N and $SMALL articles in $WHERE" \
    "(load $(loadavg))"
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
python3 "$ROOT/bench/queries.py" $((RUNS * REQS + 10)) > "$TMP/queries" ||
    exit 1
python3 "$ROOT/bench/queries.py" --prefixes $((REQS + 10)) \
    > "$TMP/pqueries" || exit 1

# ---- 1,000 articles, started and left running --------------------------
start_bantin small "$TREES/small"
SMALL_START=$START_S
SMALL_MERGE=$(merged)
SMALL_PSS=$(pss_kb $BPID)
SPID=$BPID S_GEM=$GEM S_GOPH=$GOPH
echo "bench-scale: $SMALL articles: ready in $SMALL_START s, PSS $SMALL_PSS KB"

# ---- N articles: first starts, each from no catalog ---------------------
# on every core, as a board would run it: the first build's index
# process works beside the scan (the latency runs below pin the server
# to one core and the load generator to the other)
FIRST= FIRST_LOAD= r=1
while [ $r -le "$FIRST_RUNS" ]; do
	rm -rf "$TMP/state-big"
	mkdir -p "$TMP/state-big"
	l=$(loadavg)
	BANTIN_CPUS=0-$(($(nproc) - 1)) start_bantin big "$TREES/big"
	m=$(merged)
	s=$(awk -v a="$START_S" -v b="$m" 'BEGIN { printf "%.3f", a + b }')
	FIRST="$FIRST $s" FIRST_LOAD="$FIRST_LOAD $l"
	BUILD_LINE=$(grep -o 'catalog: first build.*' "$LOG")
	echo "bench-scale: $N articles: first start $s s (ready $START_S s," \
	    "index merged $m s later; load $l): $BUILD_LINE"
	stop $BPID
	r=$((r + 1))
done

# pin_tree pid core: pid and every process below it on core
pin_tree()
{
	taskset -a -p -c "$2" "$1" >/dev/null 2>&1
	for _c in $(pgrep -P "$1"); do
		pin_tree "$_c" "$2"
	done
}

# ---- restarts of the unchanged tree; the last one is kept ---------------
# on every core too, as a board runs it: a restart stats every file of
# the tree on each core it has. The one kept is then pinned, workers and
# all, to the server's core for the latency runs
RESTART= RESTART_LOAD= r=1
while [ $r -le "$RUNS" ]; do
	l=$(loadavg)
	BANTIN_CPUS=0-$(($(nproc) - 1)) start_bantin big "$TREES/big"
	RESTART="$RESTART $START_S" RESTART_LOAD="$RESTART_LOAD $l"
	echo "bench-scale: restart of the unchanged tree: $START_S s (load $l)"
	[ $r -lt "$RUNS" ] && stop $BPID
	r=$((r + 1))
done
pin_tree $BPID "$SERVER_CORE"
sleep 3		# settled: the first rescan after start
IDLE_PSS=$(pss_kb $BPID)

# ---- page latency, 1,000 against N ---------------------------------------
# Both servers run on the same core; each page is measured on one, then
# on the other, in ROUNDS rounds, and the median p50 of the rounds is
# kept: both see the same weather, the masters' periodic work included.
ROUNDS=${BENCH_SCALE_ROUNDS:-3}
PAGE_LOAD=$(loadavg)
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

# ---- search latency: RUNS rounds of REQS queries never asked -----------
GEM=$S_GEM GOPH=$S_GOPH
set -- $(lat_search 1)
S_qp50=$1 S_qp99=$2
stop $SPID
eval "set -- \$PORTS_big"
GEM=$1 GOPH=$2
Q50= Q99= Q_LOAD= r=1
while [ $r -le "$RUNS" ]; do
	l=$(loadavg)
	set -- $(lat_search $r)
	Q50="$Q50 $1" Q99="$Q99 $2" Q_LOAD="$Q_LOAD $l"
	echo "bench-scale: search p50 $1 ms, p99 $2 ms (load $l)"
	r=$((r + 1))
done
B_qp50=$(med $Q50) B_qp99=$(med $Q99)
# prefix queries alone ("ngư*", "thanh*"), each new: one round
l=$(loadavg)
set -- $(lat_search 1 "$TMP/pqueries")
P50=$1 P99=$2 P_LOAD=$l
echo "bench-scale: prefix search p50 $P50 ms, p99 $P99 ms (load $l)"
LOAD_PSS=$(pss_kb $BPID)
NPROC=$(nprocs $BPID)

# ---- one changed article, then SIGHUP: until its new title is served ----
HUP= HUP_LOAD= r=1
for c in thoi-su kinh-te van-hoa thoi-su kinh-te van-hoa; do
	[ $r -gt "$RUNS" ] && break
	A=$(newest "$TREES/big" $c)
	F=$(ls "$TREES/big$A".* | head -1)
	retitle "$F" "RELOAD-HUP-$r"
	l=$(loadavg)
	s=$(python3 "$ROOT/bench/probe.py" --port "$GEM" --path "$A" \
	    --marker "RELOAD-HUP-$r" --hup $BPID --timeout 60)
	HUP="$HUP $s" HUP_LOAD="$HUP_LOAD $l"
	echo "bench-scale: reload after one changed article (SIGHUP): $s s" \
	    "(load $l)"
	sleep 1
	r=$((r + 1))
done
# and without SIGHUP: the periodic rescan finds it
A2=$(newest "$TREES/big" giao-duc)
F2=$(ls "$TREES/big$A2".* | head -1)
retitle "$F2" "RELOAD-SCAN"
SCAN_S=$(python3 "$ROOT/bench/probe.py" --port "$GEM" --path "$A2" \
    --marker "RELOAD-SCAN" --timeout 120)
[ "$SCAN_S" = timeout ] && SCAN_S="more than 120"
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
# the catalog and its index; the snapshot a restart starts from
# (site.image) is reported beside them
CATALOG_KB=$(du -sk --exclude=site.image "$TMP/state-big" |
    awk '{ print $1 }')
IMAGE_KB=$(du -sk "$TMP/state-big/site.image" 2>/dev/null |
    awk '{ print $1 }')
TREE_KB=$(du -sk "$TREES/big" | awk '{ print $1 }')
T1=$(date +%s)

# ---- report -----------------------------------------------------------
WORST=$(for p in article category category-p5; do
	v=$(echo $p | tr - _)
	eval "echo \$B_gem_$v \$S_gem_$v; echo \$B_gop_$v \$S_gop_$v"
done | awk '$2 > 0 { r = $1 / $2; if (r > m) m = r } END { printf "%.2f", m }')
DISK=$(awk -v c="$CATALOG_KB" -v t="$TREE_KB" \
    'BEGIN { printf "%.2f", (t > 0 ? c / t : 0) }')
PSS_MAX=$(for v in $IDLE_PSS $LOAD_PSS $RELOAD_PSS $SETTLED_PSS; do
	echo $v; done | sort -n | tail -1)
timed()		# values target: the spread, and the verdict of the median
{
	case " $1 " in *timeout*) echo "$1 s | ≤ $2 s | **missed** |"; return ;;
	esac
	echo "$(spread $1) s | ≤ $2 s | $(verdict "$(med $1) <= $2" |
	    sed 's/not met/missed/') |"
}
loads()		# the load averages of the runs
{
	echo "$@" | sed 's/ /, /g'
}

{
	echo "### $N articles"
	echo
	echo "Produced by \`BENCH_SCALE_N=$N make bench-scale\`" \
	    "(bench/scale.sh) on $(date '+%Y-%m-%d %H:%M %Z'), in" \
	    "$((T1 - T0)) s, on" \
	    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
	    "$(nproc) cores, shared with other work: the load average at" \
	    "the start of each run is given. First starts and restarts run" \
	    "on every core; the rest with the server on core $SERVER_CORE."
	echo "The tree: tests/gen_scale.py, $N articles (seed 1) in 8" \
	    "category folders (2 of them subcategories), Markdown, gemtext," \
	    "plain text and HTML, Vietnamese and English; $(mb "$TREE_KB")" \
	    "written in $GEN_S s to $WHERE. bantin's state directory" \
	    "(catalog and search index) is on disk. Default configuration:" \
	    "$NPROC processes (master and workers), rescan_interval 2 s." \
	    "Times are min / median / max of the runs (the median decides);" \
	    "latency: p50 of $REQS sequential requests (concurrency 1)," \
	    "Gemini with TLS 1.3 session resumption, Gopher plain; both" \
	    "servers on core $SERVER_CORE, measured page by page in turn," \
	    "the median of $ROUNDS rounds; load generator on core" \
	    "$CLIENT_CORE."
	echo
	echo "| measure | value | target | result |"
	echo "|---|---|---|---|"
	echo "| first start until every page and the merged index are" \
	    "ready ($FIRST_RUNS run$([ "$FIRST_RUNS" -gt 1 ] && echo s);" \
	    "load $(loads $FIRST_LOAD)) | $(timed "$FIRST" $T_FIRST)"
	echo "| restart, unchanged tree, on every core ($RUNS runs; load" \
	    "$(loads $RESTART_LOAD)) | $(timed "$RESTART" $T_RESTART)"
	echo "| one changed article: SIGHUP to new text served ($RUNS" \
	    "runs; load $(loads $HUP_LOAD)) | $(timed "$HUP" $T_HUP)"
	echo "| catalog + index on disk: $(mb "$CATALOG_KB") for a" \
	    "$(mb "$TREE_KB") tree (and beside them the snapshot a restart" \
	    "starts from, site.image: $(mb "${IMAGE_KB:-0}"), $(awk \
	    -v c="${IMAGE_KB:-0}" -v t="$TREE_KB" \
	    'BEGIN { printf "%.2f", (t > 0 ? c / t : 0) }')× the tree) |" \
	    "${DISK}× the tree | ≤ ${T_DISK}× |" \
	    "$(verdict "$DISK <= $T_DISK" | sed 's/not met/missed/') |"
	echo "| PSS, all processes: after start / after the latency runs /" \
	    "1 s after the last reload ($RELOAD_N processes) / once settled" \
	    "($SETTLED_N processes) | $(mb "$IDLE_PSS") / $(mb "$LOAD_PSS")" \
	    "/ $(mb "$RELOAD_PSS") / $(mb "$SETTLED_PSS") | ≤ $T_PSS_MB MB |" \
	    "$(verdict "$PSS_MAX <= $T_PSS_MB * 1024" |
	    sed 's/not met/missed/') |"
	echo "| search, $REQS queries never asked (bench/queries.py), p50 /" \
	    "p99, ms ($RUNS rounds; load $(loads $Q_LOAD)) | p50" \
	    "$(spread $Q50), p99 $(spread $Q99) | ≤ $T_Q50 / $T_Q99 |" \
	    "$(verdict "$B_qp50 <= $T_Q50 && $B_qp99 <= $T_Q99" |
	    sed 's/not met/missed/') |"
	echo "| search, $REQS prefix queries never asked (bench/queries.py" \
	    "--prefixes: 3 to 6 letters and a star), p50 / p99, ms (load" \
	    "$P_LOAD) | p50 $P50, p99 $P99 | – | |"
	echo "| article and category pages: worst ratio of p50 at $N to" \
	    "p50 at $SMALL (load $PAGE_LOAD) | ${WORST}× | ≤ ${T_PAGE}× |" \
	    "$(verdict "$WORST <= $T_PAGE" | sed 's/not met/missed/') |"
	echo "| the same change without SIGHUP (the periodic rescan, which waits 50 times as long as its last walk of the tree took) |" \
	    "$SCAN_S s | – | |"
	echo "| first start, $SMALL articles; PSS | $SMALL_START s;" \
	    "$(mb "$SMALL_PSS") | – | |"
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
	echo "First build: $BUILD_LINE. Reloads logged: $RELOADS."
	[ -s "$TMP/errors" ] && echo "Requests that failed:" \
	    "$(tr '\n' ';' < "$TMP/errors")"
	[ -n "$TROUBLE" ] && { echo; echo "bantin logged:"; echo;
	    echo "$TROUBLE" | sed 's/^/    /'; }
} > "$MD"
cat "$MD"
python3 "$ROOT/bench/report.py" section --body "$MD" --out "$OUT" \
    --part "### $N articles"
