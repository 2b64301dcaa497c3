#!/bin/sh
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/slow.sh (make bench-slow): a reader's latency while one address
# holds many slow connections. bench/slow.py opens BENCH_SLOW_N (1000)
# connections from 127.0.0.2 to the Gemini port, each stuck in the
# first bytes of its ClientHello, and opens again once a second every
# one the server closes; meanwhile bench/loadgen, from 127.0.0.1, asks
# for the home page one request at a time (Gemini with a full TLS 1.3
# handshake, then Gopher) and reports p50 and p99. bantin runs with its
# limits per address (the defaults, but no rate limit: the reader is
# one address asking as fast as it can) and without them (no cap, the
# handshake's deadline the request's, as before they existed), each
# with the default max_connections (1024, more than the attack) and
# with 256 (a small board's, fewer); molly-brown, the Gemini peer of
# make bench, takes the same attack when it is installed. Each setting
# runs BENCH_SLOW_ROUNDS times, with and without the attack in turn;
# bench/report.py keeps the median of p50 and p99 and writes the "Slow
# clients" section of BENCHMARKS.md. Server on core 0, attacker and
# reader on core 1.
#
# Knobs: BENCH_SLOW_N (1000 connections), BENCH_SLOW_SECS (4 s a
# measurement), BENCH_SLOW_ROUNDS (3), BENCH_OUT (BENCHMARKS.md),
# BENCH_ONLY ("bantin molly").

. "$(dirname "$0")/lib.sh"

N=${BENCH_SLOW_N:-1000}
DUR=${BENCH_SLOW_SECS:-4}
ROUNDS=${BENCH_SLOW_ROUNDS:-3}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
ONLY=${BENCH_ONLY:-"bantin molly"}
SLOW="python3 $ROOT/bench/slow.py"
ATTACKER=127.0.0.2
RES=$TMP/slow.tsv
LOGS=$TMP/logs.tsv
T0=$(date +%s)

[ -x "$LOADGEN" ] && [ -x "$BANTIN" ] ||
	{ echo "bench: build first: make bench-slow" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null
make_cert "$TMP"
cp -R "$ROOT/capsule" "$TMP/capsule"
printf 'server\tmax\tlimits\tattack\tproto\tok\terr\tp50_us\tp99_us\tnote\n' \
    > "$RES"
printf 'server\tmax\tlimits\trefused\tcut\n' > "$LOGS"
: > "$TMP/rows"

# measure proto port [command prefix...]: the reader for DUR seconds,
# a row (server, max_connections, limits, attack: M_SERVER, M_MAX,
# M_LIMITS, M_ATTACK) into $TMP/rows
measure()
{
	m_proto=$1 m_port=$2
	shift 2
	if [ "$m_proto" = gemini ]; then
		set -- "$@" taskset -c $CLIENT_CORE "$LOADGEN" -m -3 \
		    -p "$m_port" -c 1 -x "20 " "gemini://localhost/"
	else
		set -- "$@" taskset -c $CLIENT_CORE "$LOADGEN" -m -P \
		    -p "$m_port" -c 1 -b 100 "/"
	fi
	"$@" -n 10 >/dev/null 2>&1	# warm: no cold page is measured
	lg_parse "$("$@" -d "$DUR" 2>/dev/null)"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$M_SERVER" \
	    "$M_MAX" "$M_LIMITS" "$M_ATTACK" "$m_proto" "$LG_ok" "$LG_err" \
	    "$LG_p50_us" "$LG_p99_us" >> "$TMP/rows"
	printf '%-11s %4s %-3s %4s slow  %-6s %6s ok %4s err  p50 %8.2f ms' \
	    "$M_SERVER" "$M_MAX" "$M_LIMITS" "$M_ATTACK" "$m_proto" \
	    "$LG_ok" "$LG_err" \
	    "$(echo "$LG_p50_us" | awk '{ print $1 / 1000 }')"
	printf '  p99 %8.2f ms\n' \
	    "$(echo "$LG_p99_us" | awk '{ print $1 / 1000 }')"
}

# rows note: the rows measured so far into $RES, with the note
rows()
{
	sed "s/\$/\t$1/" "$TMP/rows" >> "$RES"
	: > "$TMP/rows"
}

# run_case server max limits gemini-port gopher-port [prefix...]:
# the reader without the attack, then with it
run_case()
{
	M_SERVER=$1 M_MAX=$2 M_LIMITS=$3 c_gem=$4 c_gop=$5
	shift 5
	M_ATTACK=0
	measure gemini "$c_gem" "$@"
	[ "$c_gop" = - ] || measure gopher "$c_gop" "$@"
	rows –
	"$@" taskset -c $CLIENT_CORE $SLOW --port "$c_gem" --src "$ATTACKER" \
	    -n "$N" > "$TMP/attack.out" 2> "$TMP/attack.err" &
	a_pid=$!
	started $a_pid
	i=0
	while ! grep -q '^held' "$TMP/attack.err" && [ $i -lt 600 ] &&
	    kill -0 $a_pid 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	# a round of refusals and reconnections before measuring
	sleep 2
	M_ATTACK=$N
	measure gemini "$c_gem" "$@"
	[ "$c_gop" = - ] || measure gopher "$c_gop" "$@"
	stop $a_pid
	echo "bench: attack: $(cat "$TMP/attack.out")"
	rows "$(sed 's/opened=\([0-9]*\) closed=\([0-9]*\).*/\1, \2/' \
	    "$TMP/attack.out")"
}

# start_bantin name limits: start it (BPID, GEM, GOPH, LOG)
start_bantin()
{
	GEM=$(free_port)
	GOPH=$(free_port)
	mkdir -p "$TMP/state-$1"
	bantin_conf "$TMP/$1.ini" "$TMP/capsule" "$TMP/state-$1" "$GEM" \
	    "$GOPH" "$2"
	LOG=$TMP/$1.log
	taskset -c $SERVER_CORE "$BANTIN" -d -c "$TMP/$1.ini" > "$LOG" 2>&1 &
	BPID=$!
	started $BPID
	wait_log "$LOG" ' ready' $BPID || exit 1
	sleep 0.5
}

echo "bench: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
    "$(nproc) cores; servers on core $SERVER_CORE, attacker and reader on" \
    "core $CLIENT_CORE; $N slow connections from $ATTACKER, $DUR s a case"

# bantin max limits: ROUNDS rounds of one setting; its log lines of
# refusals and cut handshakes into $LOGS
bantin_case()
{
	if [ "$2" = on ]; then
		# the defaults but the rate: the reader asks as fast as it can
		start_bantin "$1$2" "rate_per_ip = 0
max_connections = $1"
	else
		start_bantin "$1$2" "rate_per_ip = 0
max_connections = $1
max_connections_per_ip = 0
handshake_timeout = 10"
	fi
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		run_case bantin "$1" "$2" "$GEM" "$GOPH"
		r=$((r + 1))
	done
	printf 'bantin\t%s\t%s\t%s\t%s\n' "$1" "$2" \
	    "$(grep -c 'over max_connections_per_ip' "$LOG")" \
	    "$(grep -c 'still in the TLS handshake' "$LOG")" >> "$LOGS"
	stop $BPID
}

case " $ONLY " in *" bantin "*)
	for max in 1024 256; do
		bantin_case $max on
		bantin_case $max off
	done
	;;
esac

# molly-brown in its network namespace (start_molly), the attacker and
# the reader in it too; its home page is a small gemtext page
if case " $ONLY " in *" molly "*) true ;; *) false ;; esac &&
    command -v molly-brown >/dev/null; then
	mkdir -p "$TMP/molly"
	cp "$TMP/capsule/gioi-thieu.gmi" "$TMP/molly/index.gmi"
	chmod -R a+rX "$TMP/molly"
	start_molly
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		run_case molly-brown - - 1965 - nsenter -t $MOLLY -n
		r=$((r + 1))
	done
	stop $MOLLY
fi
T1=$(date +%s)
python3 "$ROOT/bench/report.py" slow --results "$RES" --logs "$LOGS" \
    --out "$OUT" --seconds $((T1 - T0)) --n "$N" --duration "$DUR" \
    --rounds "$ROUNDS" --src "$ATTACKER"
