# tests_certs.sh: certificates checked up front, with certificates
# openssl(1) makes: -n refuses what start-up and a reload would refuse
# (a key that is not the certificate's, a key of a type the key
# process cannot sign with, a certificate for another host) and warns of one that ends soon; a generated certificate is
# made again when server:hostname changes, the old pair kept.

# certs_pair NAME SUBJ DAYS [EXTRA...]: $TMP/NAME.cert and $TMP/NAME.key
certs_pair() {
	_n=$1 _s=$2 _d=$3; shift 3
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days "$_d" -subj "$_s" -keyout "$TMP/$_n.key" \
	    -out "$TMP/$_n.cert" "$@" 2>/dev/null || fail "openssl req $_n"
}

# certs_use NAME [KEYNAME]: the configuration takes that pair
certs_use() {
	sed -i "s|^cert = .*|cert = $TMP/$1.cert|; s|^key = .*|key = $TMP/${2:-$1}.key|" "$TMP/t.ini"
}

test_cert_key_mismatch_refused() {
	setup
	certs_pair a /CN=localhost 365
	certs_pair b /CN=localhost 365
	certs_use a b
	refused "another key" "gemini:key: $TMP/b.key: not the key of the certificate $TMP/a.cert"
}

# an Ed25519 pair: the key process signs with RSA and EC keys only
test_cert_ed25519_refused() {
	setup
	openssl req -x509 -newkey ed25519 -nodes -days 365 -subj /CN=localhost \
	    -keyout "$TMP/e.key" -out "$TMP/e.cert" 2>/dev/null || fail "openssl req"
	certs_use e
	refused "an Ed25519 key" "gemini:key: $TMP/e.key: a key of type ED25519: only RSA and EC keys can be kept out of the workers"
}

test_cert_wrong_host_refused() {
	setup
	certs_pair other /CN=other.example 365 \
	    -addext "subjectAltName=DNS:other.example,DNS:www.other.example"
	certs_use other
	refused "a certificate for another host" \
	    "gemini:cert: $TMP/other.cert: does not cover server:hostname localhost: it is for other.example, www.other.example"
	# the same pair where the host name is one it names
	sed -i 's/^hostname = .*/hostname = www.other.example/' "$TMP/t.ini"
	"$BANTIN" -n -c "$TMP/t.ini" >"$TMP/n.out" 2>&1 || fail "-n: $(cat "$TMP/n.out")"
	# a reload to it is refused too; the running one serves on
	sed -i 's/^hostname = .*/hostname = localhost/' "$TMP/t.ini"
	certs_pair good /CN=localhost 365
	certs_use good
	start_server
	certs_use other
	kill -HUP "$PID"
	wait_for 30 log_has "reload failed: certificate refused" || fail "reload not refused"
	expect_log "does not cover server:hostname localhost"
	gem "gemini://localhost/"; expect_status 20 "after a refused reload"
}

# ends in 10 days: a warning from -n (exit 0) and in the log; served
test_cert_expiring_warned() {
	setup
	certs_pair soon /CN=localhost 10
	certs_use soon
	"$BANTIN" -n -c "$TMP/t.ini" >"$TMP/n.out" 2>"$TMP/n.err" ||
		fail "-n refused: $(cat "$TMP/n.err")"
	grep -q '^configuration OK$' "$TMP/n.out" || fail "-n: $(cat "$TMP/n.out")"
	grep -Eq "^warning: gemini:cert: $TMP/soon.cert: ends on 20[0-9-]+ [0-9:]+ UTC, in (9|10) days \(less than 30\): renew it$" "$TMP/n.err" ||
		fail "-n warning: $(cat "$TMP/n.err")"
	start_server
	expect_log "gemini:cert: $TMP/soon.cert: ends on "
	gem "gemini://localhost/"; expect_status 20
}

# made for localhost, then the host name changes: -n says what start-up
# will do, start-up makes a new one, keeps the old pair, logs it
test_cert_generated_regenerated() {
	setup
	sed -i 's/^cert = .*/cert =/; s/^key = .*/key =/' "$TMP/t.ini"
	start_server
	stop_server || fail "stop"
	cp "$TMP/state/cert.pem" "$TMP/first.pem"
	cp "$TMP/state/key.pem" "$TMP/first.key"
	sed -i 's/^hostname = .*/hostname = tin.example/' "$TMP/t.ini"
	"$BANTIN" -n -c "$TMP/t.ini" >"$TMP/n.out" 2>"$TMP/n.err" ||
		fail "-n refused: $(cat "$TMP/n.err")"
	grep -qF "warning: gemini:cert: $TMP/state/cert.pem: made for localhost, not for server:hostname tin.example: start-up makes a new one (the old one kept as $TMP/state/cert.pem.old)" "$TMP/n.err" ||
		fail "-n: $(cat "$TMP/n.err")"
	cmp -s "$TMP/state/cert.pem" "$TMP/first.pem" || fail "-n changed the certificate"
	start_server
	expect_log "$TMP/state/cert.pem: made for localhost, not for server:hostname tin.example: making a new one; the old one is kept as $TMP/state/cert.pem.old"
	cmp -s "$TMP/state/cert.pem.old" "$TMP/first.pem" || fail "old certificate not kept"
	cmp -s "$TMP/state/key.pem.old" "$TMP/first.key" || fail "old key not kept"
	openssl x509 -in "$TMP/state/cert.pem" -noout -text >"$TMP/x509"
	grep -q 'DNS:tin.example' "$TMP/x509" || fail "new certificate: $(cat "$TMP/x509")"
	[ "$(stat -c %a "$TMP/state/key.pem")" = 600 ] || fail "key mode"
	gem "gemini://tin.example/" --sni tin.example; expect_status 20
	# kept from then on
	stop_server || fail "stop"
	cp "$TMP/state/cert.pem" "$TMP/second.pem"
	start_server
	cmp -s "$TMP/state/cert.pem" "$TMP/second.pem" || fail "made again for the same name"
}
