# tests_proxy.sh: bantin behind a load balancer (proxy_protocol): the
# PROXY header, v1 and v2, names the client in the log, the access log
# and the limits per address; only proxy_from may send one; a bad,
# cut or oversized header closes the connection with no reply; and
# HAProxy itself in front. Clients come from 127.0.0.1, 127.0.0.2...;
# requests are those of tests_limits.sh (probe_is, hold_conns), each
# connection led by the header with_header names; access_has is
# tests_logs.sh's. Every wait is a poll with a generous bound.

PROXY="$PYTHON $HERE/proxy.py"

# with_header HDR: the header the clients of probe_is and hold_conns
# send first (proxy.py: v1:ADDR, v2:ADDR, v2tlv:ADDR, v2local,
# v1unknown), or none
with_header() {
	LIMITS="$PYTHON $HERE/limits.py"
	[ "$1" = none ] || LIMITS="$LIMITS --header $1"
}

# proxy_setup: both listeners behind a balancer at PROXY_FROM
# (127.0.0.1), with an access log
proxy_setup() {
	setup
	sed -i -e "/^\[server\]/a access_log = $TMP/access.log" \
	    -e "/^\[server\]/a proxy_from = ${PROXY_FROM:-127.0.0.1}" \
	    -e "/^\[gemini\]/a proxy_protocol = yes" \
	    -e "/^\[gopher\]/a proxy_protocol = yes" "$TMP/t.ini"
}

# hexof FORMAT: the bytes printf makes of FORMAT, in hex
hexof() { printf "$1" | od -An -v -tx1 | tr -d ' \n'; }

test_proxy_names_the_client() {
	proxy_setup; start_server
	P=127.0.0.1
	with_header v1:203.0.113.7; probe_is "20 " "$GP" $P || fail "v1 TCP4: $PROBE"
	with_header v2:2001:db8::1; probe_is "20 " "$GP" $P || fail "v2 TCP6: $PROBE"
	with_header v2tlv:198.51.100.9; probe_is "20 " "$GP" $P || fail "TLVs: $PROBE"
	with_header v2:203.0.113.8; probe_is "i" "$HP" $P gopher || fail "Gopher v2: $PROBE"
	with_header v1:2001:db8::2; probe_is "i" "$HP" $P gopher || fail "Gopher v1: $PROBE"
	with_header v2tlv:198.51.100.10; probe_is "i" "$HP" $P gopher ||
		fail "Gopher, TLVs: $PROBE"
	# no client named: the balancer's own address (a health check)
	with_header v2local; probe_is "20 " "$GP" $P || fail "LOCAL: $PROBE"
	with_header v1unknown; probe_is "i" "$HP" $P gopher || fail "UNKNOWN: $PROBE"
	wait_for 30 log_has "gemini 203.0.113.7 20 / " || fail "log: v1"
	for l in "gemini 2001:db8::1 20 / " "gemini 198.51.100.9 20 / " \
	    "gopher 203.0.113.8 20 / " "gopher 2001:db8::2 20 / " \
	    "gopher 198.51.100.10 20 / " "gemini 127.0.0.1 20 / " \
	    "gopher 127.0.0.1 20 / "; do
		expect_log "$l"
	done
	wait_for 30 access_has '203.0.113.7 - - [' || fail "access log: v1"
	access_has '2001:db8::1 - - [' || fail "access log: v2 TCP6"
	access_has '203.0.113.8 - - [' || fail "access log: Gopher"
	# a health check that connects, says LOCAL and goes: closed (Gemini:
	# after OpenSSL's alert, as for any client gone in its handshake),
	# nothing logged
	out=$($PROXY cut "$GP" $P 0d0a0d0a000d0a515549540a20000000)
	[ "$out" != open ] || fail "health check, Gemini: $out"
	out=$($PROXY cut "$HP" $P 0d0a0d0a000d0a515549540a20000000)
	[ "$out" = refused ] || fail "health check, Gopher: $out"
	! grep -q 'at a PROXY header' "$TMP/log" || fail "$(grep 'PROXY' "$TMP/log")"
	alive
}

test_proxy_only_from_proxy_from() {
	proxy_setup; start_server
	# 127.0.0.2 is not a balancer: a direct client, whose header is refused
	with_header none
	probe_is "20 " "$GP" 127.0.0.2 || fail "direct: $PROBE"
	probe_is "i" "$HP" 127.0.0.2 gopher || fail "direct Gopher: $PROBE"
	with_header v1:203.0.113.7
	probe_is refused "$GP" 127.0.0.2 || fail "v1: $PROBE"
	probe_is refused "$HP" 127.0.0.2 gopher || fail "Gopher v1: $PROBE"
	with_header v2:203.0.113.7; probe_is refused "$GP" 127.0.0.2 || fail "v2: $PROBE"
	with_header v2local; probe_is refused "$HP" 127.0.0.2 gopher || fail "LOCAL: $PROBE"
	# an empty selector starts like a v2 signature: it is a request
	out=$($PROXY raw "$HP" 127.0.0.2 0d0a)
	case $out in i*) ;; *) fail "empty selector: $out" ;; esac
	wait_for 30 log_has "at a PROXY header, the last from 127.0.0.2: a header from an address not in proxy_from" ||
		fail "refusals not logged"
	expect_log "gemini 127.0.0.2 20 / "
	expect_log "gopher 127.0.0.2 20 / "
	! grep -q '203\.0\.113\.7' "$TMP/log" || fail "a refused header was believed"
	# 127.0.0.1 is one: without a header, it is refused
	with_header none
	probe_is refused "$GP" 127.0.0.1 || fail "no header, Gemini: $PROBE"
	probe_is refused "$HP" 127.0.0.1 gopher || fail "no header, Gopher: $PROBE"
	wait_for 30 log_has "the last from 127.0.0.1: no PROXY header" ||
		fail "missing header not logged"
	alive
}

# Bad, cut and oversized headers are closed with no reply, long
# before the deadline (60 s here)
test_proxy_malformed() {
	HANDSHAKE=60 REQ_TIMEOUT=60 proxy_setup; start_server
	sig=0d0a0d0a000d0a515549540a
	a4=cb007107c0000201c82207ad
	for h in \
	    "$(hexof 'PROXY TCP4 2001:db8::1 192.0.2.1 1 2\r\n')" \
	    "$(hexof 'PROXY TCP6 203.0.113.7 ::1 1 2\r\n')" \
	    "$(hexof 'PROXY TCP4 203.0.113.07 192.0.2.1 1 2\r\n')" \
	    "$(hexof 'PROXY TCP4 203.0.113.7 192.0.2.1 1 2\n')" \
	    "$(hexof 'PROXY TCP4 203.0.113.7 192.0.2.1 65536 2\r\n')" \
	    "$(hexof 'PROXY TCP4  203.0.113.7 192.0.2.1 1 2\r\n')" \
	    "$(hexof "PROXY UNKNOWN $(printf '%0100d' 0)")" \
	    "${sig}11110000" "${sig}22110000" "${sig}2141000c$a4" \
	    "${sig}2111000b${a4%??}" "${sig}2111000f${a4}010005" \
	    "${sig}21110258$a4" "${sig}2011ffff" \
	    "474554202f20485454502f312e300d0a0d0a"; do
		out=$($PROXY raw "$GP" 127.0.0.1 "$h")
		[ "$out" = refused ] || fail "Gemini, $h: $out"
		out=$($PROXY raw "$HP" 127.0.0.1 "$h")
		[ "$out" = refused ] || fail "Gopher, $h: $out"
	done
	wait_for 30 log_has "the last from 127.0.0.1: " || fail "not logged"
	! grep -q '\(gemini\|gopher\) 127\.0\.0\.1 [0-9][0-9] ' "$TMP/log" ||
		fail "a refused connection was answered"
	# cut short: the client goes in the middle of its header
	for c in "$GP ${sig}2111000c" "$HP $(hexof 'PROXY TCP4 203.0.113.7 ')"; do
		set -- $c
		out=$($PROXY cut "$1" 127.0.0.1 "$2")
		[ "$out" = refused ] || fail "cut short, port $1: $out"
	done
	wait_for 30 log_has "the connection ended in the header" ||
		fail "cut short: not logged"
	# and nothing of all that counts against the limits
	with_header v2:203.0.113.7; probe_is "20 " "$GP" 127.0.0.1 || fail "after: $PROBE"
	alive
}

# Half a header, then nothing: cut at handshake_timeout, Gemini and
# Gopher alike (not at request_timeout)
test_proxy_half_header() {
	HANDSHAKE=1 REQ_TIMEOUT=60 proxy_setup; start_server
	for c in "$GP v1:203.0.113.7" "$HP v2:203.0.113.7"; do
		set -- $c
		out=$($PROXY half "$1" 127.0.0.1 "$2")
		case $out in "closed after "*) ;; *) fail "port $1, $2: $out" ;; esac
	done
	wait_for 30 log_has "no whole header within handshake_timeout" ||
		fail "not logged"
	with_header v2:203.0.113.7; probe_is "20 " "$GP" 127.0.0.1 || fail "whole: $PROBE"
	alive
}

# The limits count the client the header names: N connections from one
# client through the balancer, the next refused, while another client
# through the same balancer is served, and the balancer holds more
# than N at once
test_proxy_per_ip() {
	PER_IP=3 REQ_TIMEOUT=60 proxy_setup; start_server
	with_header v2:203.0.113.7; hold_conns "$GP" 127.0.0.1 3
	first=$HOLD
	probe_is refused "$GP" 127.0.0.1 || fail "4th: $PROBE"
	with_header v1:203.0.113.7; probe_is refused "$HP" 127.0.0.1 gopher ||
		fail "4th, Gopher: $PROBE"
	with_header v2:203.0.113.8; probe_is "20 " "$GP" 127.0.0.1 || fail "other: $PROBE"
	with_header v1:203.0.113.9; probe_is "i" "$HP" 127.0.0.1 gopher ||
		fail "other, Gopher: $PROBE"
	with_header v2:198.51.100.1; hold_conns "$HP" 127.0.0.1 3 gopher
	wait_for 30 log_has "over max_connections_per_ip (3), the last from 203.0.113.7" ||
		fail "refusal not logged"
	kill "$first"; wait "$first" 2>/dev/null || true
	release
	with_header v2:203.0.113.7
	wait_for 30 probe_is "20 " "$GP" 127.0.0.1 || fail "after closing: $PROBE"
	alive
}

# HAProxy itself in front, in TCP mode, connecting from 127.0.0.3 (the
# only address in proxy_from): a frontend per protocol and version, v2
# with health checks (LOCAL). Clients come from 127.0.0.1 (through v2)
# and 127.0.0.4 (v1): the log names them, never 127.0.0.3.
test_proxy_haproxy() {
	command -v haproxy >/dev/null ||
		fail "haproxy is not installed (tools/deps.sh installs it)"
	PROXY_FROM=127.0.0.3 proxy_setup; start_server
	set -- $(free_ports 4)
	G2=$1 G1=$2 H2=$3 H1=$4
	cat >"$TMP/haproxy.cfg" <<EOT
global
	maxconn 64
defaults
	mode tcp
	timeout connect 5s
	timeout client 30s
	timeout server 30s
listen gemini-v2
	bind 127.0.0.1:$G2
	server bantin 127.0.0.1:$GP send-proxy-v2 source 127.0.0.3 check inter 500 check-send-proxy
listen gemini-v1
	bind 127.0.0.1:$G1
	server bantin 127.0.0.1:$GP send-proxy source 127.0.0.3
listen gopher-v2
	bind 127.0.0.1:$H2
	server bantin 127.0.0.1:$HP send-proxy-v2 source 127.0.0.3 check inter 500 check-send-proxy
listen gopher-v1
	bind 127.0.0.1:$H1
	server bantin 127.0.0.1:$HP send-proxy source 127.0.0.3
EOT
	haproxy -c -f "$TMP/haproxy.cfg" >"$TMP/haproxy.check" 2>&1 ||
		fail "haproxy -c: $(cat "$TMP/haproxy.check")"
	haproxy -db -f "$TMP/haproxy.cfg" >"$TMP/haproxy.log" 2>&1 &
	HAPROXY=$!; HELPERS="$HELPERS $HAPROXY"
	with_header none
	wait_for 30 probe_is "20 " "$G2" 127.0.0.1 || fail "v2, Gemini: $PROBE"
	probe_is "i" "$H2" 127.0.0.1 gopher || fail "v2, Gopher: $PROBE"
	probe_is "20 " "$G1" 127.0.0.4 || fail "v1, Gemini: $PROBE"
	probe_is "i" "$H1" 127.0.0.4 gopher || fail "v1, Gopher: $PROBE"
	wait_for 30 log_has "gemini 127.0.0.1 20 / " || fail "log: v2, Gemini"
	expect_log "gopher 127.0.0.1 20 / "
	expect_log "gemini 127.0.0.4 20 / "
	expect_log "gopher 127.0.0.4 20 / "
	wait_for 30 access_has '127.0.0.4 - - [' || fail "access log"
	! grep -q '127\.0\.0\.3' "$TMP/log" "$TMP/access.log" ||
		fail "the balancer's address was logged"
	# its health checks (LOCAL) went on meanwhile, none refused
	! grep -q 'at a PROXY header' "$TMP/log" || fail "$(grep PROXY "$TMP/log")"
	# the balancer alone is believed: a header straight from 127.0.0.1
	# is refused
	with_header v2:127.0.0.4; probe_is refused "$GP" 127.0.0.1 || fail "direct: $PROBE"
	kill "$HAPROXY"; wait "$HAPROXY" 2>/dev/null || true
	alive
}
