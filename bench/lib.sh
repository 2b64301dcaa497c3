# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/lib.sh: what bench/run.sh, scale.sh and board.sh share: a
# private temp dir cleaned on exit, the list of processes we started
# (and only those are ever killed), the certificate, bantin's
# configuration, reading a server's CPU time and memory from /proc over
# every process of its tree (master, workers, per-connection children),
# the static page, and, for scale.sh and board.sh, a tree's place, bantin started on it
# and the latency of its pages.
# Sourced, not run; POSIX sh.

ROOT=${BANTIN_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
LOADGEN=$ROOT/bench/loadgen
BANTIN=$ROOT/bantin
HZ=$(getconf CLK_TCK)
SERVER_CORE=0
CLIENT_CORE=1
[ "$(nproc)" -lt 2 ] && CLIENT_CORE=0
PIDS=
EXTRA_DIRS=		# more temp dirs of ours, removed on exit

TMP=$(mktemp -d /tmp/bantin-bench.XXXXXX) || exit 1

# kill what we started, newest first, then wait (bounded) for it
cleanup()
{
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	i=0
	for p in $PIDS; do
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$TMP" $EXTRA_DIRS
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

started()	# pid: remember a process we own
{
	PIDS="$1 $PIDS"
}

stop()		# pid: stop one of ours and wait for it (at most 5 s)
{
	kill "$1" 2>/dev/null
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	n=
	for p in $PIDS; do
		[ "$p" = "$1" ] || n="$n $p"
	done
	PIDS=$n
}

free_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

wait_log()	# file pattern pid: until the pattern is logged (15 s)
{
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		if ! kill -0 "$3" 2>/dev/null || [ $i -ge 150 ]; then
			echo "bench: server did not start; its log:" >&2
			tail -20 "$1" >&2
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

tree()		# pid: it and all its descendants
{
	echo "$1"
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		tree "$c"
	done
}

# CPU clock ticks of a tree: utime + stime of each live process, and
# cutime + cstime, the time of children already reaped
cpu_ticks()
{
	for p in $(tree "$1"); do
		sed 's/.*) //' /proc/"$p"/stat 2>/dev/null
	done | awk '{ t += $12 + $13 + $14 + $15 } END { printf "%d\n", t }'
}

pss_kb()	# pid: proportional set size of the tree, KB
{
	for p in $(tree "$1"); do
		cat /proc/"$p"/smaps_rollup 2>/dev/null
	done | awk '$1 == "Pss:" { k += $2 } END { printf "%d\n", k }'
}

nprocs()	# pid: processes in the tree
{
	tree "$1" | wc -l
}

make_cert()	# dir: ECDSA P-256 key and self-signed cert for localhost
{
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$1/key.pem" -out "$1/cert.pem" -days 3650 \
	    -subj /CN=localhost -addext subjectAltName=DNS:localhost \
	    >/dev/null 2>&1 || { echo "bench: openssl failed" >&2; exit 1; }
	chmod 644 "$1/cert.pem" "$1/key.pem"
}

# make_static file: the static page of make bench, exactly 4096 bytes
# of Vietnamese gemtext, cut on a line boundary
make_static()
{
	python3 - "$1" <<'EOF'
import sys
head = "# Trang tĩnh 4 KB\n\n"
para = ("Ủy ban nhân dân quận thông báo lịch tiếp công dân định kỳ "
        "vào sáng thứ Năm hằng tuần tại trụ sở, số 12 đường Lê Lợi.\n")
body = head
while len((body + para).encode()) <= 4096 - 80:
    body += para
body = body.encode()
body += b"=> /thoi-su/ Thoi su\n"
body += b"x" * (4096 - len(body) - 1) + b"\n"
assert len(body) == 4096
open(sys.argv[1], "wb").write(body)
EOF
}

# bantin_conf file root state gemini-port gopher-port [limits]: the
# bundled defaults, but our ports on 127.0.0.1 and our paths, and no
# limits per address unless given ([limits] lines): the load comes from
# one address, 127.0.0.1, as fast as it can and 1,000 connections at a
# time, where a reader never does
bantin_conf()
{
	cat > "$1" <<EOF
[server]
hostname = localhost
state_dir = $3
workers = 0
[gemini]
listen = 127.0.0.1
port = $4
cert = $TMP/cert.pem
key = $TMP/key.pem
[gopher]
enabled = yes
listen = 127.0.0.1
port = $5
[site]
root = $2
title = Bản tin Quận Bình Thạnh
lang = vi
[limits]
${6:-rate_per_ip = 0
max_connections_per_ip = 0}
EOF
}

# start_molly: molly-brown serving $TMP/molly/ on port 1965, with our
# certificate, in a network namespace with only loopback (this build
# binds every address whatever its configuration says); MOLLY: its
# pid, for nsenter -t $MOLLY -n
start_molly()
{
	cat > "$TMP/molly.conf" <<EOF
Port = 1965
Hostname = "localhost"
CertPath = "$TMP/cert.pem"
KeyPath = "$TMP/key.pem"
DocBase = "$TMP/molly/"
AccessLog = "/dev/null"
ErrorLog = "$TMP/molly.err"
EOF
	unshare -n sh -c "ip link set lo up && exec taskset -c $SERVER_CORE \
	    molly-brown -c '$TMP/molly.conf'" > "$TMP/molly.log" 2>&1 &
	MOLLY=$!
	started $MOLLY
	i=0
	until nsenter -t $MOLLY -n ss -ltn 2>/dev/null | grep -q ':1965 ' ||
	    [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.2
}

# lg_parse "output": set LG_ok, LG_rps, ... from loadgen -m
lg_parse()
{
	LG_ok=0 LG_err=0 LG_rps=0 LG_p50_us=0 LG_p99_us=0 LG_resumed=0
	LG_e_timeout=0 LG_e_dropped=0 LG_held=0 LG_bytes=0
	eval "$(printf '%s\n' "$1" | tail -1 | tr ' ' '\n' |
	    grep -E '^[a-z_0-9]+=[0-9.]+$' | sed 's/^/LG_/')"
}

# pick_trees FILES [DIR]: where bench trees go, in TREES (and WHERE, to
# report): DIR if given, else tmpfs when it has room for FILES files
# (about 4 KB each; creating many files on a slow disk measures the
# disk, not bantin), else the temp dir
pick_trees()
{
	TREES=$TMP
	WHERE="the temp dir on disk ($TMP)"
	if [ -n "$2" ]; then
		TREES=$(mktemp -d "$2/bantin-bench.XXXXXX") || exit 1
		EXTRA_DIRS="$EXTRA_DIRS $TREES"
		WHERE="$2"
	elif [ -d /dev/shm ] && [ -w /dev/shm ] &&
	    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt \
	    $(( $1 * 6 + 262144 )) ] &&
	    [ "$(df -Pi /dev/shm | awk 'NR == 2 { print $4 }')" -gt \
	    $(( $1 + $1 / 10 + 1000 )) ]; then
		TREES=$(mktemp -d /dev/shm/bantin-bench.XXXXXX) || exit 1
		EXTRA_DIRS="$EXTRA_DIRS $TREES"
		WHERE="tmpfs (/dev/shm)"
	fi
}

now()
{
	date +%s.%N
}

elapsed()	# start [end]: seconds, 3 decimals
{
	awk -v a="$1" -v b="${2:-$(now)}" 'BEGIN { printf "%.3f", b - a }'
}

# start_bantin name tree: start it (with $BANTIN_FLAGS, e.g. -v), wait
# for "ready"; sets BPID, GEM, GOPH and START_S (seconds from exec to
# ready). On core SERVER_CORE, or the cores BANTIN_CPUS names.
start_bantin()
{
	s_name=$1
	if [ ! -f "$TMP/$s_name.ini" ]; then
		GEM=$(free_port)
		GOPH=$(free_port)
		mkdir -p "$TMP/state-$s_name"
		bantin_conf "$TMP/$s_name.ini" "$2" "$TMP/state-$s_name" \
		    "$GEM" "$GOPH"
		eval "PORTS_$s_name=\"$GEM $GOPH\""
	fi
	eval "set -- \$PORTS_$s_name"
	GEM=$1
	GOPH=$2
	s_log="$TMP/$s_name.log.$(date +%s%N)"
	t=$(now)
	taskset -c "${BANTIN_CPUS:-$SERVER_CORE}" "$BANTIN" -d $BANTIN_FLAGS \
	    -c "$TMP/$s_name.ini" > "$s_log" 2>&1 &
	BPID=$!
	started $BPID
	i=0
	while ! grep -q ' ready' "$s_log"; do
		if ! kill -0 $BPID 2>/dev/null || [ $i -ge 45000 ]; then
			echo "bench: bantin did not start:" >&2
			tail -20 "$s_log" >&2
			exit 1
		fi
		sleep 0.02
		i=$((i + 1))
	done
	START_S=$(elapsed "$t")
	LOG=$s_log
	grep -v ' ready' "$s_log" | sed 's/^/  bantin: /'
}

# after a start the master may merge the search index's segments
# (catalog_tidy) a slice of each second: wait for its log line, so that
# what follows is measured on a settled server. A first build merges its
# index before ready ("catalog: first build"). Prints the seconds from
# ready to merged.
merged()
{
	t=$(now)
	i=0
	while ! grep -q 'search index merged\|catalog: first build' "$LOG"; do
		if ! kill -0 $BPID 2>/dev/null || [ $i -ge 3000 ]; then
			echo "bench: the index was not merged in 300 s" >&2
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	elapsed "$t"
}

# lg_p50_p99 what "output": "p50 p99" (ms) of a loadgen -m run of REQS
# requests; its errors are reported and counted in $TMP/errors (a
# subshell runs us: the count is kept in a file)
lg_p50_p99()
{
	lg_parse "$2"
	if [ "$LG_err" -gt 0 ]; then
		echo "bench: $1: $LG_err errors: $2" >&2
		echo "$1: $LG_err of $REQS" >> "$TMP/errors"
	fi
	# to the microsecond: a Gopher page takes some 80 us, and at two
	# decimals a ratio of two such would move by 12% a step
	awk -v a="$LG_p50_us" -v b="$LG_p99_us" \
	    'BEGIN { printf "%.3f %.3f", a / 1000, b / 1000 }'
}

# p50 and p99 ("p50 p99", ms) of REQS sequential requests (c=1), after
# 10 to warm up: lat gemini|gopher path
lat()
{
	# a few requests first, so that no cold cache is measured
	if [ "$1" = gemini ]; then
		taskset -c $CLIENT_CORE "$LOADGEN" -m -3 -R -p "$GEM" -n 10 \
		    "gemini://localhost$2" >/dev/null
	else
		taskset -c $CLIENT_CORE "$LOADGEN" -m -P -p "$GOPH" -n 10 \
		    "$2" >/dev/null
	fi
	if [ "$1" = gemini ]; then
		out=$(taskset -c $CLIENT_CORE "$LOADGEN" -m -3 -R -p "$GEM" \
		    -c 1 -n "$REQS" -x "20 " "gemini://localhost$2")
	else
		out=$(taskset -c $CLIENT_CORE "$LOADGEN" -m -P -p "$GOPH" \
		    -c 1 -n "$REQS" -b 100 "$2")
	fi
	lg_p50_p99 "$1 $2" "$out"
}

# search p50 and p99 ("p50 p99", ms) over REQS requests from the file
# $TMP/queries, every one different: a page cache in front of search
# would answer a repeated query without searching. The first 10 lines
# warm up (other queries), the next REQS are measured.
lat_search()	# [round [file]]: round 1, 2, ... takes the next REQS queries
{
	q_file=${2:-$TMP/queries}
	head -n 10 "$q_file" > "$TMP/q.warm"
	tail -n +$((11 + (${1:-1} - 1) * REQS)) "$q_file" |
	    head -n "$REQS" > "$TMP/q.run"
	taskset -c $CLIENT_CORE "$LOADGEN" -m -3 -R -p "$GEM" -f -n 10 \
	    "$TMP/q.warm" >/dev/null
	out=$(taskset -c $CLIENT_CORE "$LOADGEN" -m -3 -R -p "$GEM" -f \
	    -c 1 -n "$REQS" -x "20 " "$TMP/q.run")
	lg_p50_p99 search "$out"
}

newest()	# tree category: path of its newest dated article
{
	ls "$1/$2" | grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}-.*\.(md|gmi|txt)$' |
	    sort | tail -1 | sed "s|^|/$2/|; s|\.[a-z]*\$||"
}


verdict()	# condition-as-awk-expression
{
	awk "BEGIN { print ($1) ? \"**met**\" : \"**not met**\" }"
}
ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b;
	    else print "–" }'
}
mb()
{
	awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'
}
