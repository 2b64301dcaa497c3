# tests_install.sh: what an operator gets. -V and -h; the manual pages
# lint clean; make install lays out the binary, the manual pages, a
# commented bantin.ini and the systemd unit under DESTDIR, and the
# installed binary serves both protocols with the installed
# configuration, pointed at a generated tree and loopback ports; the
# unit passes systemd-analyze; make uninstall removes what make install
# put, but a bantin.ini the operator changed.

# bantin_make TARGET [VAR=value...]: make in the checkout, as a
# process of its own (not a part of the make check that runs the
# tests), with the flavour ./bantin was built with
bantin_make() {
	_san=
	[ "$(cat .bantin-flavour 2>/dev/null)" = build-san ] && _san=SANITIZE=1
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s $_san "$@"
}

# installed_config ROOT: ROOT's etc/bantin/bantin.ini as $TMP/t.ini,
# with this test's tree, state folder and loopback ports
installed_config() {
	sed -e "s|^state_dir = .*|state_dir = $TMP/state|" \
	    -e "s|^root = .*|root = $TMP/capsule|" \
	    -e "s|^listen = .*|listen = 127.0.0.1|" \
	    -e "/^\[gemini\]/,/^\[/ s|^port = .*|port = $GP|" \
	    -e "/^\[gopher\]/,/^\[/ s|^port = .*|port = $HP|" \
	    "$1/etc/bantin/bantin.ini" >"$TMP/t.ini"
}

# serve_installed ROOT: ROOT's bantin with ROOT's configuration serves
# a page over each protocol, with the certificate it makes itself
serve_installed() {
	installed_config "$1"
	BANTIN=$1/usr/sbin/bantin
	start_server
	[ -s "$TMP/state/cert.pem" ] || fail "no certificate generated"
	gem "gemini://localhost/"
	expect_status 20
	expect_body "# Bản tin quận Bình Lâm"
	gem "gemini://localhost/thoi-su/2020-05-21-chi-bo-dai-hoi"
	expect_status 20
	expect_body "Có 100% Chi bộ trực thuộc"
	gopher /thoi-su/
	printf '%s' "$GOPHER" | grep -q "^0[^	]*Chi bộ hoàn thành Đại hội	/thoi-su/2020-05-21-chi-bo-dai-hoi	localhost	$HP" ||
		fail "gopher: no article in the category"
	stop_server || fail "stop: exit $?"
}

test_version_help() {
	TMP=$(mktemp -d /tmp/bantin-test.XXXXXX)
	v=$(cat VERSION)
	[ "$("$BANTIN" -V)" = "bantin $v" ] || fail "-V: '$("$BANTIN" -V)'"
	"$BANTIN" -h >"$TMP/h" 2>"$TMP/h.err" || fail "-h: exit $?"
	grep -q "^usage: bantin \[-dhnVv\]" "$TMP/h" || fail "-h: no usage"
	grep -q "(default conf/bantin.ini)" "$TMP/h" || fail "-h: no default"
	[ ! -s "$TMP/h.err" ] || fail "-h wrote to stderr"
	rc=0; "$BANTIN" -Z >"$TMP/h" 2>"$TMP/h.err" || rc=$?
	[ $rc = 1 ] && [ ! -s "$TMP/h" ] || fail "a bad option: exit $rc"
	grep -q "^usage:" "$TMP/h.err" || fail "a bad option: no usage"
}

# mandoc -Tlint, but for references to bantin's own pages, which a
# checkout has not installed (and a database mandoc may find outdated)
man_lint() {
	mandoc -Tlint "$@" 2>&1 |
	    grep -v 'referenced manual not found: Xr bantin\|outdated mandoc.db' ||
	    true
}

test_man_lint() {
	command -v mandoc >/dev/null || fail "no mandoc (tools/deps.sh)"
	out=$(man_lint man/bantin.8 man/bantin.ini.5)
	[ -z "$out" ] || fail "mandoc -Tlint: $out"
}

test_install() {
	setup
	v=$(cat VERSION)
	R=$TMP/root
	bantin_make install DESTDIR="$R" PREFIX=/usr SYSCONFDIR=/etc \
	    >"$TMP/make.out" 2>&1 || { cat "$TMP/make.out"; fail "make install"; }
	( cd "$R" && find . ! -type d | sort ) >"$TMP/files"
	printf '%s\n' ./etc/bantin/bantin.ini \
	    ./usr/lib/systemd/system/bantin.service ./usr/sbin/bantin \
	    ./usr/share/man/man5/bantin.ini.5 ./usr/share/man/man8/bantin.8 |
	    diff - "$TMP/files" || fail "layout"
	[ "$(stat -c %a "$R/usr/sbin/bantin")" = 755 ] || fail "binary's mode"
	[ "$(stat -c %a "$R/etc/bantin/bantin.ini")" = 644 ] || fail "ini's mode"
	# the installed binary: the version, and the system's configuration
	[ "$("$R/usr/sbin/bantin" -V)" = "bantin $v" ] || fail "installed -V"
	"$R/usr/sbin/bantin" -h | grep -q "(default /etc/bantin/bantin.ini)" ||
		fail "installed default configuration"
	# the manual pages name the version; they lint clean but for that
	grep -q "^\.Os bantin $v\$" "$R/usr/share/man/man8/bantin.8" ||
		fail "bantin.8: no version"
	grep -q "^\.Os bantin $v\$" "$R/usr/share/man/man5/bantin.ini.5" ||
		fail "bantin.ini.5: no version"
	if command -v mandoc >/dev/null; then
		out=$(man_lint -W warning "$R"/usr/share/man/man*/*)
		[ -z "$out" ] || fail "installed pages: $out"
	fi
	# bantin.ini is conf/bantin.ini, comments and all, with a service's
	# values
	diff conf/bantin.ini "$R/etc/bantin/bantin.ini" | grep '^>' >"$TMP/ini.diff" || true
	printf '%s\n' "> state_dir = /var/lib/bantin" "> listen = *" \
	    "> listen = *" "> port = 70" "> root = /srv/bantin" |
	    diff - "$TMP/ini.diff" || fail "installed bantin.ini"
	U=$R/usr/lib/systemd/system/bantin.service
	for want in "ExecStart=/usr/sbin/bantin -d -c /etc/bantin/bantin.ini" \
	    "ExecReload=/bin/kill -HUP \$MAINPID" "User=bantin" \
	    "StateDirectory=bantin" "ProtectSystem=strict" \
	    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE" \
	    "AmbientCapabilities=CAP_NET_BIND_SERVICE" \
	    "SystemCallFilter=@system-service"; do
		grep -qxF -- "$want" "$U" || fail "bantin.service lacks $want"
	done
	# systemd-analyze reads the unit offline (no systemd needed as PID
	# 1): its binary from DESTDIR, its manual pages from there too
	if command -v systemd-analyze >/dev/null; then
		sed "s|^ExecStart=/usr/sbin/|ExecStart=$R/usr/sbin/|" "$U" \
		    >"$TMP/bantin.service"
		MANPATH=$R/usr/share/man systemd-analyze verify \
		    "$TMP/bantin.service" || fail "systemd-analyze verify"
		# exposure 1.4 of 10 with the unit as it is
		systemd-analyze security --offline=true --threshold=15 \
		    "$TMP/bantin.service" >"$TMP/security" 2>&1 ||
			{ tail -n 20 "$TMP/security"; fail "systemd-analyze security"; }
		tail -n 1 "$TMP/security"
	fi

	serve_installed "$R"

	# again: the operator's bantin.ini stays as they left it
	echo "; changed" >>"$R/etc/bantin/bantin.ini"
	bantin_make install DESTDIR="$R" PREFIX=/usr >"$TMP/make.out" 2>&1 ||
		fail "make install again"
	grep -q "^kept $R/etc/bantin/bantin.ini" "$TMP/make.out" || fail "not kept"
	tail -n 1 "$R/etc/bantin/bantin.ini" | grep -q "^; changed" || fail "replaced"
	bantin_make uninstall DESTDIR="$R" PREFIX=/usr >"$TMP/make.out" 2>&1 ||
		fail "make uninstall"
	[ "$(cd "$R" && find . ! -type d)" = ./etc/bantin/bantin.ini ] ||
		fail "uninstall left $(cd "$R" && find . ! -type d)"
}
