#!/bin/sh
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/proxy.sh (part of make bench; make bench-proxy alone): the CPU
# per request that the PROXY protocol header adds. Two bantin servers
# on the same tree and core, the same configuration but for
# proxy_protocol: one serves direct clients, the other clients whose
# every connection starts with a v2 header (bench/loadgen -X, as a
# balancer at 127.0.0.1 sends it). The same loads go to each in turn,
# interleaved over the rounds (A B A B ...), so that they share the
# machine's weather: the 4 KB static page over Gemini (TLS 1.3, full
# and resumed handshakes) and Gopher, concurrency 16. The result is
# the ratio of CPU µs per request with and without the header, in the
# "PROXY protocol" section of BENCHMARKS.md.
#
# Knobs: BENCH_DURATION seconds per case (2), BENCH_ROUNDS (5),
# BENCH_OUT (BENCHMARKS.md).

. "$(dirname "$0")/lib.sh"

DUR=${BENCH_DURATION:-2}
# make bench runs this after bench/run.sh; make bench-proxy alone
CMD=${BENCH_PROXY_CMD:-make bench-proxy}
ALSO=
[ "$CMD" = "make bench-proxy" ] && ALSO=", alone; \`make bench\` runs it too"
ROUNDS=${BENCH_ROUNDS:-5}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
CONC=16
PAGE=/static.gmi
T0=$(date +%s)
MD=$TMP/proxy.md

[ -x "$LOADGEN" ] && [ -x "$BANTIN" ] ||
	{ echo "bench: build first: make bench-proxy" >&2; exit 1; }

make_cert "$TMP"
cp -R "$ROOT/capsule" "$TMP/capsule"
make_static "$TMP/capsule/static.gmi"

# start NAME [proxy]: a bantin on the capsule; P_NAME="pid gem gopher"
start()
{
	GEM=$(free_port)
	GOPH=$(free_port)
	mkdir -p "$TMP/state-$1"
	bantin_conf "$TMP/$1.ini" "$TMP/capsule" "$TMP/state-$1" "$GEM" \
	    "$GOPH"
	if [ -n "$2" ]; then
		sed -i -e '/^\[server\]/a proxy_from = 127.0.0.1' \
		    -e '/^\[gemini\]/a proxy_protocol = yes' \
		    -e '/^\[gopher\]/a proxy_protocol = yes' "$TMP/$1.ini"
	fi
	taskset -c $SERVER_CORE "$BANTIN" -d -c "$TMP/$1.ini" \
	    > "$TMP/$1.log" 2>&1 &
	started $!
	wait_log "$TMP/$1.log" ' ready' $! || exit 1
	eval "P_$1=\"$! $GEM $GOPH\""
}

# one NAME CASE: one run of CASE (gemini-full, gemini-resumed, gopher)
# on server NAME, with a header if it is the proxied one; its CPU µs
# per request is appended to $TMP/NAME.CASE
one()
{
	eval "set -- \$P_$1 $1 $2"
	pid=$1 gem=$2 goph=$3 name=$4 case=$5
	x=
	[ "$name" = proxied ] && x=-X
	case $case in
	gemini-full)	set -- -3 $x -p "$gem" -x "20 " \
			    "gemini://localhost$PAGE" ;;
	gemini-resumed)	set -- -3 -R $x -p "$gem" -x "20 " \
			    "gemini://localhost$PAGE" ;;
	gopher)		set -- -P $x -p "$goph" -b 200 "$PAGE" ;;
	esac
	c0=$(cpu_ticks "$pid")
	out=$(taskset -c $CLIENT_CORE "$LOADGEN" -m -c $CONC -d "$DUR" "$@")
	sleep 0.3
	c1=$(cpu_ticks "$pid")
	lg_parse "$out"
	if [ "$LG_err" -gt 0 ] || [ "$LG_ok" -eq 0 ]; then
		echo "bench-proxy: $name $case: $LG_err errors: $out" >&2
		echo "$name $case: $LG_err errors" >> "$TMP/errors"
	fi
	cpu=$(awk -v a="$c0" -v b="$c1" -v n="$LG_ok" -v hz="$HZ" \
	    'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')
	echo "$cpu" >> "$TMP/$name.$case"
	printf 'bench-proxy: %-8s %-15s %8s req/s  %7s µs/req\n' "$name" \
	    "$case" "$LG_rps" "$cpu"
}

# stats FILE: "median min max" of its numbers
stats()
{
	sort -n "$1" | awk '{ v[NR] = $1 } END {
	    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
	    printf "%.1f %.1f %.1f", m, v[1], v[NR] }'
}

echo "bench-proxy: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
    "$(nproc) cores; servers on core $SERVER_CORE, load on core" \
    "$CLIENT_CORE; $ROUNDS rounds of $DUR s per case"
start direct
start proxied proxy
sleep 0.5
CASES="gemini-full gemini-resumed gopher"
r=0
while [ $r -lt "$ROUNDS" ]; do
	for c in $CASES; do
		one direct $c
		one proxied $c
	done
	r=$((r + 1))
done
# (stop uses $n)
for srv in direct proxied; do
	eval "set -- \$P_$srv"
	stop "$1"
	grep -Ei 'killed by signal|sanitizer|fatal|at a PROXY header' \
	    "$TMP/$srv.log" | head -5
done
T1=$(date +%s)
KNOBS=
for k in DURATION ROUNDS; do
	eval "v=\${BENCH_$k:-}"
	[ -n "$v" ] && KNOBS="$KNOBS BENCH_$k=$v"
done

{
	echo "## PROXY protocol"
	echo
	echo "Produced by \`${KNOBS# }${KNOBS:+ }$CMD\` (bench/proxy.sh$ALSO)" \
	    "on $(date -u '+%Y-%m-%d %H:%M %Z'), in" \
	    "$((T1 - T0)) s, on $(grep -m1 'model name' /proc/cpuinfo |
	    sed 's/.*: //'), $(nproc) cores, load average" \
	    "$(cut -d ' ' -f 1-3 /proc/loadavg) at the end. What the" \
	    "PROXY header costs the server: two bantin servers on one" \
	    "core, the same but for proxy_protocol (on both listeners," \
	    "proxy_from = 127.0.0.1), take the same load in turn, $ROUNDS" \
	    "interleaved rounds of $DUR s each: the 4 KB static page," \
	    "concurrency $CONC, every request a new connection. The" \
	    "proxied server's clients (bench/loadgen -X) start every" \
	    "connection with a v2 header (TCP4, 28 bytes), sent with" \
	    "their first bytes in one segment. CPU µs per request: the" \
	    "median and the range over the rounds; the difference and" \
	    "the ratio are the medians'."
	echo
	echo "| case | direct | with a v2 header | difference | ratio |"
	echo "|---|---:|---:|---:|---:|"
	for c in $CASES; do
		set -- $(stats "$TMP/direct.$c") $(stats "$TMP/proxied.$c")
		case $c in
		gemini-full)	what="Gemini, TLS 1.3, full handshake" ;;
		gemini-resumed)	what="Gemini, TLS 1.3, resumed" ;;
		gopher)		what="Gopher" ;;
		esac
		echo "| $what | $1 ($2–$3) | $4 ($5–$6) |" \
		    "$(awk -v a="$4" -v b="$1" 'BEGIN { printf "%+.1f µs |" \
		    " %.2f×", a - b, a / b }') |"
	done
	[ -s "$TMP/errors" ] && { echo; echo "Requests that failed:" \
	    "$(tr '\n' ';' < "$TMP/errors")"; }
} > "$MD"
cat "$MD"
python3 "$ROOT/bench/report.py" section --title "## PROXY protocol" \
    --body "$MD" --out "$OUT"
