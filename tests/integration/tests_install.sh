# tests_install.sh: what an operator gets: bantin -V and -h.

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
