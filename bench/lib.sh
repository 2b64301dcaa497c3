# Copyright (c) 2026 the bantin authors. ISC licence, see LICENSE.
#
# bench/lib.sh: what bench/run.sh and bench/scale.sh share: a private
# temp dir cleaned on exit, the list of processes we started (and only
# those are ever killed), the certificate, bantin's configuration, and
# reading a server's CPU time and memory from /proc over every process
# of its tree (master, workers, per-connection children).
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
