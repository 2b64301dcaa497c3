# tests_install.sh: what an operator gets: bantin -V and -h, and the
# manual pages lint clean.

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
