#!/bin/sh
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/redis.sh (make bench runs it after bench/run.sh; make
# bench-redis alone): what [counter] backend = redis costs, against its
# peer in the same run, bantin with backend = file. Two measures:
#
# - requests: the bundled capsule's article page (it counts a visit
#   and a view), Gemini (TLS 1.3, resumed) and Gopher, concurrency 16,
#   each backend in turn, ROUNDS rounds interleaved, the median kept;
#   flush_interval = 1, so that a batch goes to Redis every second of
#   the run. Server CPU per request (all its processes), req/s, p50
#   and p99;
# - a flush with 10,000 changed articles: a tree of tests/gen_scale.py,
#   10,000 articles, every one of them requested between two flushes
#   (Gopher, cycling through the 10,000), the master's CPU alone over
#   SECS seconds divided by its flushes (flush_interval = 10, the
#   default, rescans off). Redis's own CPU is given apart, per flush.
#
# bantin runs on core 0, loadgen and redis-server on core 1 (taskset).
# redis-server is ours, on a free loopback port, with its append-only
# file fsynced every second in the temp dir; every process we start is
# stopped by PID. Writes the "Counters in Redis" section of
# BENCHMARKS.md.
#
# Knobs: BENCH_DURATION seconds per request case (2), BENCH_ROUNDS (3),
# BENCH_REDIS_N articles (10000), BENCH_REDIS_SECS (60), BENCH_OUT.

. "$(dirname "$0")/lib.sh"

DUR=${BENCH_DURATION:-2}
ROUNDS=${BENCH_ROUNDS:-3}
N=${BENCH_REDIS_N:-10000}
SECS=${BENCH_REDIS_SECS:-60}
FLUSH_BIG=10
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
MD=$TMP/redis.md
RES=$TMP/redis.tsv
T0=$(date +%s)
LOADAVG=$(cut -d ' ' -f 1-3 /proc/loadavg)

for f in "$LOADGEN" "$BANTIN"; do
	[ -x "$f" ] || { echo "bench: $f missing: run make bench-redis" >&2
	    exit 1; }
done
command -v redis-server >/dev/null ||
	{ echo "bench: no redis-server: tools/deps.sh installs it" >&2; exit 1; }

# ---- Redis --------------------------------------------------------------
RPORT=$(free_port)
mkdir -p "$TMP/redis"
taskset -c $CLIENT_CORE redis-server --port "$RPORT" --bind 127.0.0.1 \
    --save "" --appendonly yes --appendfsync everysec --dir "$TMP/redis" \
    --daemonize no > "$TMP/redis.log" 2>&1 &
RPID=$!
started $RPID
i=0
until [ "$(redis-cli -p "$RPORT" ping 2>/dev/null)" = PONG ]; do
	[ $i -lt 100 ] || { echo "bench: redis-server did not start" >&2
	    exit 1; }
	sleep 0.1
	i=$((i + 1))
done
REDIS_V=$(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')

# conf name backend flush rescan: the [counter] and [site] lines of an
# instance (bantin_conf writes the rest)
counter_conf()
{
	{
		echo "rescan_interval = $4"
		echo "[counter]"
		echo "backend = $2"
		echo "flush_interval = $3"
		echo "redis = 127.0.0.1:$RPORT"
		echo "redis_prefix = bench-$1:"
	} >> "$TMP/$1.ini"
}

# prepare name tree backend flush rescan: its configuration, written
# before start_bantin would write one; [site] is the last section
# bantin_conf writes before [limits], so the lines go into a copy
prepare()
{
	p_gem=$(free_port)
	p_goph=$(free_port)
	mkdir -p "$TMP/state-$1"
	bantin_conf "$TMP/$1.base" "$2" "$TMP/state-$1" "$p_gem" "$p_goph"
	sed '/^\[limits\]/,$d' "$TMP/$1.base" > "$TMP/$1.ini"
	counter_conf "$1" "$3" "$4" "$5"
	sed -n '/^\[limits\]/,$p' "$TMP/$1.base" >> "$TMP/$1.ini"
	eval "PORTS_$1=\"$p_gem $p_goph\""
}

# ---- requests: the article page ------------------------------------------
printf 'backend\tproto\tround\trps\tp50_us\tp99_us\tcpu_us\tok\terr\n' > "$RES"
make_cert "$TMP"
cp -R "$ROOT/capsule" "$TMP/capsule"
ARTICLE=/thoi-su/2019-11-14-tiep-xuc-cu-tri-truoc-ky-hop-hdnd
for b in file redis; do
	prepare "$b" "$TMP/capsule" "$b" 1 2
	start_bantin "$b" "$TMP/capsule"
	eval "PID_$b=$BPID GEM_$b=$GEM GOPH_$b=$GOPH"
	merged > /dev/null
done

# one backend, one protocol, one round
reqcase()
{
	eval "pid=\$PID_$1 gem=\$GEM_$1 goph=\$GOPH_$1"
	if [ "$2" = gemini ]; then
		set -- "$1" "$2" "$3" "$LOADGEN" -m -3 -R -p "$gem" -c 16 \
		    -d "$DUR" -x "20 " "gemini://localhost$ARTICLE"
	else
		set -- "$1" "$2" "$3" "$LOADGEN" -m -P -p "$goph" -c 16 \
		    -d "$DUR" -b 100 "$ARTICLE"
	fi
	r_b=$1 r_p=$2 r_r=$3
	shift 3
	c0=$(cpu_ticks "$pid")
	out=$(taskset -c $CLIENT_CORE "$@" 2>"$TMP/lg.err")
	sleep 0.3
	c1=$(cpu_ticks "$pid")
	lg_parse "$out"
	cpu=$(awk -v a="$c0" -v b="$c1" -v n="$LG_ok" -v hz="$HZ" \
	    'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r_b" "$r_p" "$r_r" \
	    "$LG_rps" "$LG_p50_us" "$LG_p99_us" "$cpu" "$LG_ok" "$LG_err" \
	    >> "$RES"
	printf '%-6s %-6s round %s: %8s req/s  p50 %s µs  p99 %s µs  %s ' \
	    "$r_b" "$r_p" "$r_r" "$LG_rps" "$LG_p50_us" "$LG_p99_us" "$cpu"
	echo "µs/req  err $LG_err"
}

r=1
while [ $r -le "$ROUNDS" ]; do
	for p in gemini gopher; do
		reqcase file $p $r
		reqcase redis $p $r
	done
	r=$((r + 1))
done
# every count reached Redis: the article's views there are the
# requests the redis instance answered, and its page shows them
sleep 3
REQ_OK=$(awk -F '\t' '$1 == "redis" { n += $8 } END { print n }' "$RES")
REQ_REDIS=$(redis-cli -p "$RPORT" hget bench-redis:views "$ARTICLE")
stop $PID_file
stop $PID_redis

# ---- a flush with N changed articles -------------------------------------
pick_trees "$N" "${BENCH_REDIS_DIR:-}"
echo "bench-redis: generating $N articles in $WHERE"
python3 "$ROOT/tests/gen_scale.py" "$TREES/big" -n "$N" > /dev/null || exit 1
prepare bigfile "$TREES/big" file "$FLUSH_BIG" 0
start_bantin bigfile "$TREES/big"
PID_bigfile=$BPID
merged > /dev/null
# the article paths: the tree's files with a dated name, each requested
# once; those bantin counted are its articles
( cd "$TREES/big" && find . -name '20[0-9][0-9]-*' \
    \( -name '*.md' -o -name '*.gmi' -o -name '*.txt' -o -name '*.html' \) |
    sed 's|^\.||; s|\.[a-z]*$||' ) > "$TMP/guess"
taskset -c $CLIENT_CORE "$LOADGEN" -m -P -p "$GOPH" -c 16 -f \
    -n "$(wc -l < "$TMP/guess")" -b 1 "$TMP/guess" > /dev/null
sleep $((FLUSH_BIG + 2))
awk '$2 ~ /^\// { print $2 }' "$TMP/state-bigfile/counters" > "$TMP/paths"
NPATHS=$(wc -l < "$TMP/paths")
echo "bench-redis: $NPATHS articles counted"

# flushcase name: the master's CPU (and Redis's) over SECS seconds of
# requests cycling through every article, sent faster than a flush
# interval takes them all
flushcase()
{
	eval "pid=\$PID_$1"
	m=$(pgrep -P "$pid" -x bantin-master)
	f_n=$(awk -v s="$SECS" -v f="$FLUSH_BIG" 'BEGIN { print int(s / f) }')
	taskset -c $CLIENT_CORE "$LOADGEN" -m -P -p "$GOPH" -c 16 -f \
	    -d $((SECS + 2 * FLUSH_BIG)) -b 1 "$TMP/paths" > "$TMP/flush.out" &
	lg=$!
	started $lg
	sleep $FLUSH_BIG
	m0=$(awk '{ print $14 + $15 }' /proc/"$m"/stat)
	r0=$(awk '{ print $14 + $15 }' /proc/"$RPID"/stat)
	e0=$(redis-cli -p "$RPORT" info commandstats |
	    sed -n 's/^cmdstat_eval:calls=\([0-9]*\),.*/\1/p')
	sleep "$SECS"
	m1=$(awk '{ print $14 + $15 }' /proc/"$m"/stat)
	r1=$(awk '{ print $14 + $15 }' /proc/"$RPID"/stat)
	e1=$(redis-cli -p "$RPORT" info commandstats |
	    sed -n 's/^cmdstat_eval:calls=\([0-9]*\),.*/\1/p')
	wait $lg
	PIDS=$(echo "$PIDS" | sed "s/\\b$lg\\b//")
	lg_parse "$(cat "$TMP/flush.out")"
	awk -v a="$m0" -v b="$m1" -v ra="$r0" -v rb="$r1" -v n="$f_n" \
	    -v hz="$HZ" -v rps="$LG_rps" -v f="$FLUSH_BIG" \
	    -v ea="${e0:-0}" -v eb="${e1:-0}" 'BEGIN {
		printf "%.0f %.0f %.0f %d\n", (b - a) * 1000 / hz / n,
		    (rb - ra) * 1000 / hz / n, rps * f, eb - ea }'
}

# each flush takes a few seconds' requests: how many articles changed
set -- $(flushcase bigfile)
FILE_MS=$1 FILE_PER=$3
stop $PID_bigfile
prepare bigredis "$TREES/big" redis "$FLUSH_BIG" 0
# the same index: no second first start
cp "$TMP/state-bigfile/catalog.db"* "$TMP/state-bigredis/"
BANTIN_FLAGS=-v start_bantin bigredis "$TREES/big"
PID_bigredis=$BPID
sleep 2
set -- $(flushcase bigredis)
REDIS_MS=$1 REDIS_RMS=$2 REDIS_PER=$3 EVALS=$4
stop $PID_bigredis
# the flushes that sent a batch: their median wall time
WALL=$(grep -h 'flush: 1 exchanges with Redis, [1-9]' "$TMP"/bigredis.log.* |
    sed 's/.*, \([0-9]*\) ms$/\1/' | sort -n |
    awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "?") }')
T1=$(date +%s)

# ---- report --------------------------------------------------------------
med()	# backend proto column: the median over the rounds
{
	awk -F '\t' -v b="$1" -v p="$2" -v c="$3" \
	    '$1 == b && $2 == p { print $c }' "$RES" | sort -n |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
rng()	# backend proto: "min–max" of CPU µs/req
{
	awk -F '\t' -v b="$1" -v p="$2" '$1 == b && $2 == p { print $7 }' \
	    "$RES" | sort -n | awk 'NR == 1 { a = $1 } { z = $1 }
	    END { printf "%s–%s", a, z }'
}
x()		# a b: a / b, two decimals
{
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}
{
	echo "## Counters in Redis"
	echo
	echo "Produced by \`make bench-redis\` (bench/redis.sh; \`make" \
	    "bench\` runs it too) on $(date '+%Y-%m-%d %H:%M %Z'), in" \
	    "$((T1 - T0)) s, on" \
	    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
	    "$(nproc) cores, load average $LOADAVG at the start; Redis" \
	    "$REDIS_V (Debian), append-only file fsynced every second." \
	    "The peer is bantin with \`backend = file\`, in the same run:" \
	    "bantin on core $SERVER_CORE, loadgen and redis-server on core" \
	    "$CLIENT_CORE."
	echo
	echo "Requests: the article page (a visit and a view counted" \
	    "each), concurrency 16, $DUR s a case, $ROUNDS rounds" \
	    "interleaved, the median (and the range of CPU µs/req);" \
	    "\`flush_interval = 1\`: a batch to Redis every second." \
	    "CPU µs/req is all of bantin's processes, Redis's apart."
	echo
	echo "| case | file: req/s | redis: req/s | file: p50 / p99 µs |" \
	    "redis: p50 / p99 µs | file: CPU µs/req | redis: CPU µs/req |" \
	    "×file |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for p in gemini gopher; do
		[ $p = gemini ] && what="Gemini, TLS 1.3 resumed" ||
			what="Gopher"
		echo "| $what | $(med file $p 4) | $(med redis $p 4) |" \
		    "$(med file $p 5) / $(med file $p 6) |" \
		    "$(med redis $p 5) / $(med redis $p 6) |" \
		    "$(med file $p 7) ($(rng file $p)) |" \
		    "$(med redis $p 7) ($(rng redis $p)) |" \
		    "$(x "$(med redis $p 7)" "$(med file $p 7)")× |"
	done
	echo
	echo "Every count arrived: the redis instance answered $REQ_OK" \
	    "requests of the article, and Redis holds $REQ_REDIS views of" \
	    "it."
	echo
	echo "A flush with $NPATHS changed articles: tests/gen_scale.py's" \
	    "tree of $N articles, Gopher requests cycling through all" \
	    "$NPATHS for $SECS s (about $FILE_PER and $REDIS_PER requests a" \
	    "flush, so every article changes between two flushes)," \
	    "\`flush_interval = $FLUSH_BIG\`, rescans off. The master's" \
	    "CPU (utime + stime, /proc) over the $SECS s, divided by its" \
	    "$((SECS / FLUSH_BIG)) flushes; file: fold the counts and write" \
	    "the file; redis: the same, plus the batch (one EVAL of up to" \
	    "20,000 paths; $EVALS EVALs in the window) and the totals read" \
	    "back, and the wall time of a flush, which the master spends" \
	    "blocked (from \`bantin -v\`'s log)."
	echo
	echo "| backend | master CPU ms per flush | ×file | Redis CPU ms" \
	    "per flush (its own timers too) | a flush's wall time, ms |"
	echo "|---|---:|---:|---:|---:|"
	echo "| file | $FILE_MS | 1.00× | – | – |"
	echo "| redis | $REDIS_MS | $(x "$REDIS_MS" "$FILE_MS")× |" \
	    "$REDIS_RMS | $WALL |"
} > "$MD"
cat "$MD"
python3 "$ROOT/bench/report.py" section --title "## Counters in Redis" \
    --body "$MD" --out "$OUT"
