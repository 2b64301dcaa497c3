#!/bin/sh
# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/run.sh (make bench): bantin side by side with its peers and
# with the ceiling, in one run on this machine. Every server runs on
# core 0 (taskset) and idles while another is measured; bench/loadgen
# runs on core 1; each server is charged for the CPU time of all its
# processes, read from /proc before and after each case. The result
# that counts is server CPU per request and its ratio to the peer
# (molly-brown, gophernicus, from Debian) and to the bare responder
# (bench/bare, the same TLS code doing nothing else), measured back to
# back so that they share the machine's weather. All traffic stays on
# 127.0.0.1; every process we start is ours to stop, and no other.
# Writes BENCHMARKS.md via bench/report.py.
#
# Knobs (environment): BENCH_DURATION seconds per case (2),
# BENCH_ROUNDS of the static-page cases, interleaved, the median kept
# (5), BENCH_CONC ("1 16 64"), BENCH_TLS ("13 12"), BENCH_HOLD
# connections held (1000), BENCH_HOLD_SECS (4), BENCH_OUT
# (BENCHMARKS.md), BENCH_ONLY (e.g. "bantin bare": servers to run).

. "$(dirname "$0")/lib.sh"

BARE=$ROOT/bench/bare
DUR=${BENCH_DURATION:-2}
ROUNDS=${BENCH_ROUNDS:-5}
CONCS=${BENCH_CONC:-"1 16 64"}
TLSV=${BENCH_TLS:-"13 12"}
HOLD=${BENCH_HOLD:-1000}
HOLD_S=${BENCH_HOLD_SECS:-4}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
ONLY=${BENCH_ONLY:-"bantin bare molly gophernicus"}
RES=$TMP/results.tsv
T0=$(date +%s)

for f in "$LOADGEN" "$BARE" "$BANTIN"; do
	[ -x "$f" ] || { echo "bench: $f missing: run make bench" >&2; exit 1; }
done
# 1,000 held connections, each an fd in the server and in loadgen
ulimit -n 65536 2>/dev/null || ulimit -n 8192 2>/dev/null
if [ "$(ulimit -n)" -lt $((HOLD + 200)) ] 2>/dev/null; then
	HOLD=$(($(ulimit -n) - 200))
	echo "bench: fd limit $(ulimit -n): holding $HOLD connections"
fi

# the site: the bundled capsule, plus a static 4 KB page; everything
# readable by the unprivileged gophernicus user
chmod 755 "$TMP"
make_cert "$TMP"
cp -R "$ROOT/capsule" "$TMP/capsule"
make_static "$TMP/capsule/static.gmi"
chmod -R a+rX "$TMP/capsule"
STATIC_PAGE=/static.gmi
ARTICLE=/thoi-su/2019-11-14-tiep-xuc-cu-tri-truoc-ky-hop-hdnd
CATEGORY=/thoi-su/
# "hội nghị" (meeting), percent-encoded UTF-8
SEARCH='/search?h%E1%BB%99i%20ngh%E1%BB%8B'

printf 'proto\tserver\tpage\tconc\ttls\tmode\trps\tp50_us\tp99_us\t' > "$RES"
printf 'cpu_us\tpss_kb\tok\terr\tresumed\tnote\n' >> "$RES"

# measure pid proto server page conc tls mode -- loadgen command...:
# one case; the server's CPU is read around the run
measure()
{
	m_pid=$1 m_proto=$2 m_server=$3 m_page=$4 m_conc=$5 m_tls=$6
	m_mode=$7
	shift 8
	c0=$(cpu_ticks "$m_pid")
	out=$("$@" 2>"$TMP/lg.err")
	# let the server finish closing (and reap per-connection children)
	sleep 0.3
	c1=$(cpu_ticks "$m_pid")
	pss=$(pss_kb "$m_pid")
	lg_parse "$out"
	cpu=$(awk -v a="$c0" -v b="$c1" -v n="$LG_ok" -v hz="$HZ" \
	    'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')
	note=
	[ "$LG_err" -gt 0 ] && note=$(printf '%s\n' "$out" | tr ' ' '\n' |
	    grep -E '^e_[a-z]+=[1-9]' | tr '\n' ' ')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
	    "$m_proto" "$m_server" "$m_page" "$m_conc" "$m_tls" "$m_mode" \
	    "$LG_rps" "$LG_p50_us" "$LG_p99_us" "$cpu" "$pss" "$LG_ok" \
	    "$LG_err" "$LG_resumed" "$note" >> "$RES"
	printf '%-7s %-12s %-9s c=%-3s %-4s %-8s %8s req/s  p50 %6.2f ms' \
	    "$m_proto" "$m_server" "$m_page" "$m_conc" "$m_tls" "$m_mode" \
	    "$LG_rps" "$(echo "$LG_p50_us" | awk '{ print $1 / 1000 }')"
	printf '  p99 %7.2f ms  %6s µs/req  PSS %6s KB  err %s %s\n' \
	    "$(echo "$LG_p99_us" | awk '{ print $1 / 1000 }')" "$cpu" "$pss" \
	    "$LG_err" "$note"
	if [ -z "$out" ]; then
		echo "bench: loadgen failed:" >&2
		cat "$TMP/lg.err" >&2
	fi
}

# hold pid proto server -- loadgen command...: hold connections open,
# read PSS while they are held, then let them all make their request
hold()
{
	h_pid=$1 h_proto=$2 h_server=$3
	shift 4
	idle=$(pss_kb "$h_pid")
	c0=$(cpu_ticks "$h_pid")
	"$@" > "$TMP/hold.out" 2> "$TMP/hold.err" &
	h_lg=$!
	started $h_lg
	i=0
	while ! grep -q 'held' "$TMP/hold.err" 2>/dev/null && [ $i -lt 300 ] &&
	    kill -0 $h_lg 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	held_pss=$(pss_kb "$h_pid")
	held_n=$(nprocs "$h_pid")
	wait $h_lg
	PIDS=$(echo "$PIDS" | sed "s/\\b$h_lg\\b//")
	sleep 0.3
	c1=$(cpu_ticks "$h_pid")
	out=$(cat "$TMP/hold.out")
	lg_parse "$out"
	cpu=$(awk -v a="$c0" -v b="$c1" -v n="$LG_ok" -v hz="$HZ" \
	    'BEGIN { printf "%.0f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')
	note="held=$LG_held/$HOLD idle_pss=$idle procs=$held_n"
	[ "$LG_err" -gt 0 ] && note="$note $(printf '%s\n' "$out" |
	    tr ' ' '\n' | grep -E '^e_[a-z]+=[1-9]' | tr '\n' ' ')"
	printf '%s\t%s\thold\t%s\t%s\tfull\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' \
	    "$h_proto" "$h_server" "$HOLD" "$([ "$h_proto" = gemini ] &&
	    echo 13 || echo -)" "$LG_rps" "$LG_p50_us" "$LG_p99_us" "$cpu" \
	    "$held_pss" "$LG_ok" "$LG_err" "$LG_resumed" >> "$RES"
	printf '\t%s\n' "$note" >> "$RES"
	printf '%-7s %-12s hold %s for %s s: %s answered, %s errors, ' \
	    "$h_proto" "$h_server" "$HOLD" "$HOLD_S" "$LG_ok" "$LG_err"
	printf 'PSS idle %s KB, held %s KB  %s\n' "$idle" "$held_pss" "$note"
}

want()	# name: is this server in BENCH_ONLY (and installed)?
{
	case " $ONLY " in
	*" $1 "*) ;;
	*) return 1 ;;
	esac
	case $1 in
	molly) command -v molly-brown >/dev/null ;;
	gophernicus) [ -x /usr/sbin/gophernicus ] &&
	    getent passwd _gophernicus >/dev/null ;;
	esac
}

# Each server has a pid, a port per protocol ("-" for none) and, for
# molly-brown, a network namespace to reach it in ("-" for none):
# srv_<name>="pid gemini-port gopher-port ns-pid"
SERVERS=
server()	# name pid gemini-port gopher-port ns-pid
{
	eval "srv_$(echo "$1" | tr - _)=\"$2 $3 $4 $5\""
	SERVERS="$SERVERS $1"
	printf 'idle\t%s\t%s\t%s\n' "$1" "$(pss_kb "$2")" "$(nprocs "$2")" \
	    >> "$TMP/idle.tsv"
	echo "bench: $1 ready, PSS $(pss_kb "$2") KB in $(nprocs "$2")" \
	    "processes"
}

# lookup name: set S_PID, S_GEM, S_GOP and S_NS (a command prefix)
lookup()
{
	case " $SERVERS " in
	*" $1 "*) ;;
	*) return 1 ;;
	esac
	eval "set -- \$srv_$(echo "$1" | tr - _)"
	S_PID=$1 S_GEM=$2 S_GOP=$3 S_NS=
	[ "$4" != - ] && S_NS="nsenter -t $4 -n"
	return 0
}

gemini()	# server page path tls mode conc
{
	lookup "$1" || return 0
	flags="-$(echo "$4" | cut -c2)"
	[ "$5" = resumed ] && flags="$flags -R"
	measure "$S_PID" gemini "$1" "$2" "$6" "$4" "$5" -- $S_NS \
	    taskset -c $CLIENT_CORE "$LOADGEN" -m $flags -p "$S_GEM" \
	    -c "$6" -d "$DUR" -x "20 " "gemini://localhost$3"
}

# search_new tls mode conc: bantin's search, every request a query it
# has not answered before (so not a page cache hit): each case takes
# its own 10,000 of the lines of bench/queries.py, more than a case
# sends (about 3,500 a second at most), so that no line comes twice
QSLICE=0
QCASES=$((2 * ROUNDS + 2))	# TLS 1.3 in every round, TLS 1.2 once
search_new()
{
	lookup bantin || return 0
	[ -f "$TMP/queries" ] ||
	    python3 "$ROOT/bench/queries.py" $((QCASES * 10000)) \
	    > "$TMP/queries" || return 0
	tail -n +$((QSLICE * 10000 + 1)) "$TMP/queries" | head -n 10000 \
	    > "$TMP/q.case"
	QSLICE=$(((QSLICE + 1) % QCASES))
	flags="-$(echo "$1" | cut -c2)"
	[ "$2" = resumed ] && flags="$flags -R"
	measure "$S_PID" gemini bantin search-new "$3" "$1" "$2" -- \
	    taskset -c $CLIENT_CORE "$LOADGEN" -m $flags -p "$S_GEM" \
	    -c "$3" -d "$DUR" -x "20 " -f "$TMP/q.case"
}

gopher()	# server page selector conc
{
	lookup "$1" || return 0
	measure "$S_PID" gopher "$1" "$2" "$4" - - -- taskset -c $CLIENT_CORE \
	    "$LOADGEN" -m -P -p "$S_GOP" -c "$4" -d "$DUR" -b 200 "$3"
}

holdcase()	# server protocol
{
	lookup "$1" || return 0
	if [ "$2" = gemini ]; then
		hold "$S_PID" gemini "$1" -- $S_NS taskset -c $CLIENT_CORE \
		    "$LOADGEN" -m -3 -p "$S_GEM" -H "$HOLD" -S "$HOLD_S" \
		    -x "20 " "gemini://localhost$STATIC_PAGE"
	else
		hold "$S_PID" gopher "$1" -- taskset -c $CLIENT_CORE \
		    "$LOADGEN" -m -P -p "$S_GOP" -H "$HOLD" -S "$HOLD_S" \
		    -b 200 "$STATIC_PAGE"
	fi
}

echo "bench: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
    "$(nproc) cores; servers on core $SERVER_CORE, load on core" \
    "$CLIENT_CORE; $DUR s per case"

# ---- start every server; each idles while another is measured ----------
if want bantin; then
	GEM=$(free_port)
	GOPH=$(free_port)
	mkdir -p "$TMP/state"
	bantin_conf "$TMP/bantin.ini" "$TMP/capsule" "$TMP/state" "$GEM" \
	    "$GOPH"
	taskset -c $SERVER_CORE "$BANTIN" -d -c "$TMP/bantin.ini" \
	    > "$TMP/bantin.log" 2>&1 &
	P=$!
	started $P
	wait_log "$TMP/bantin.log" 'ready' $P || exit 1
	sleep 0.5
	server bantin $P "$GEM" "$GOPH" -
fi

# the bare responder, the ceiling: TLS, and plain TCP
if want bare; then
	PORT=$(free_port)
	taskset -c $SERVER_CORE "$BARE" -p "$PORT" -c "$TMP/cert.pem" \
	    -k "$TMP/key.pem" > "$TMP/bare.log" 2>&1 &
	P=$!
	started $P
	wait_log "$TMP/bare.log" ready $P || exit 1
	server bare $P "$PORT" - -
	# the same with its key in a key process of its own (-K), as
	# bantin's is: the round trip's cost alone
	PORT=$(free_port)
	taskset -c $SERVER_CORE "$BARE" -K -p "$PORT" -c "$TMP/cert.pem" \
	    -k "$TMP/key.pem" > "$TMP/barek.log" 2>&1 &
	P=$!
	started $P
	wait_log "$TMP/barek.log" ready $P || exit 1
	server bare-key $P "$PORT" - -
	PORT=$(free_port)
	taskset -c $SERVER_CORE "$BARE" -P -p "$PORT" > "$TMP/barep.log" 2>&1 &
	P=$!
	started $P
	wait_log "$TMP/barep.log" ready $P || exit 1
	server bare-tcp $P - "$PORT" -
fi

# molly-brown, in a network namespace with only loopback: this build
# binds every address whatever its configuration says
if want molly; then
	mkdir -p "$TMP/molly"
	cp "$TMP/capsule/static.gmi" "$TMP/molly/static.gmi"
	start_molly
	server molly-brown $MOLLY 1965 - $MOLLY
fi

# gophernicus, one process per connection under systemd-socket-activate,
# as the unprivileged user. Unthrottled: -i 0 and -k 0 (with -i 0 alone
# it divides by zero once a client has fetched 16 MB, and every later
# request dies of SIGFPE). unshare -i gives it a private System V IPC
# namespace, so its shared-memory sessions start empty and vanish with
# it.
if want gophernicus; then
	PORT=$(free_port)
	unshare -i taskset -c $SERVER_CORE systemd-socket-activate \
	    -l 127.0.0.1:"$PORT" -a --inetd setpriv --reuid=_gophernicus \
	    --regid=_gophernicus --clear-groups /usr/sbin/gophernicus \
	    -h localhost -p "$PORT" -r "$TMP/capsule" -i 0 -k 0 \
	    > "$TMP/gophernicus.log" 2>&1 &
	P=$!
	started $P
	wait_log "$TMP/gophernicus.log" Listening $P &&
	    server gophernicus $P - "$PORT" -
fi

# bantin's generated pages in one setting: tls mode conc
pages()
{
	gemini bantin article "$ARTICLE" $1 $2 $3
	gemini bantin home / $1 $2 $3
	gemini bantin category "$CATEGORY" $1 $2 $3
	gemini bantin search "$SEARCH" $1 $2 $3
	[ "$3" = 16 ] && search_new $1 $2 $3
}

# ---- Gemini: in each setting, the static page from bantin, the ceiling
# and the peer back to back (so that they share the machine's weather),
# and bantin's generated pages: in every round where the targets compare
# them with the static page (TLS 1.3, concurrency 16), else once --------
for tls in $TLSV; do
	for mode in full resumed; do
		for conc in $CONCS; do
			r=0
			while [ $r -lt "$ROUNDS" ]; do
				for s in bantin bare bare-key molly-brown; do
					[ $s = bare-key ] && [ $mode != full ] &&
					    continue
					gemini $s static "$STATIC_PAGE" $tls \
					    $mode $conc
				done
				if [ $r = 0 ] || { [ "$tls" = 13 ] &&
				    [ "$conc" = 16 ]; }; then
					pages $tls $mode $conc
				fi
				r=$((r + 1))
			done
		done
	done
done

# ---- Gopher ----------------------------------------------------------------
for conc in $CONCS; do
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		for s in bantin bare-tcp gophernicus; do
			gopher $s static "$STATIC_PAGE" $conc
		done
		r=$((r + 1))
	done
	gopher bantin article "$ARTICLE" $conc
	gopher bantin menu / $conc
	gopher gophernicus menu / $conc
done
if lookup gophernicus; then
	n=$(grep -c 'died with code [1-9]' "$TMP/gophernicus.log")
	[ "$n" -gt 0 ] && echo "bench: gophernicus: $n processes failed:" \
	    "$(grep -m1 'died with code [1-9]' "$TMP/gophernicus.log")"
fi

# ---- held connections (gophernicus would fork a process for each) --------
holdcase bantin gemini
holdcase bantin gopher
holdcase bare gemini
holdcase bare-tcp gopher
holdcase molly-brown gemini

if lookup bantin && grep -Eiq 'killed by signal|exited with|sanitizer|fatal' \
    "$TMP/bantin.log"; then
	echo "bench: bantin logged trouble:"
	grep -Ei 'killed by signal|exited with|sanitizer|fatal' \
	    "$TMP/bantin.log" | head -20
fi
for p in $PIDS; do
	stop "$p"
done

T1=$(date +%s)
KNOBS=
for k in DURATION ROUNDS CONC TLS HOLD HOLD_SECS ONLY; do
	eval "v=\${BENCH_$k:-}"
	[ -n "$v" ] && KNOBS="$KNOBS BENCH_$k=\"$v\""
done
python3 "$ROOT/bench/report.py" run --results "$RES" \
    --idle "$TMP/idle.tsv" --out "$OUT" --seconds $((T1 - T0)) \
    --duration "$DUR" --hold-secs "$HOLD_S" --rounds "$ROUNDS" \
    --command "make bench$KNOBS"
