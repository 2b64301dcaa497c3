# tests_install.sh: what an operator gets. -V and -h; the manual pages
# lint clean at every level, references included; make install lays
# out the binary, the manual pages, a commented bantin.ini and the
# systemd unit under DESTDIR, and the installed binary serves both
# protocols with the installed configuration, pointed at a generated
# tree and loopback ports; the unit passes systemd-analyze; make deb
# builds a package lintian accepts, whose binary serves the same way;
# make uninstall removes what make install put, but a bantin.ini the
# operator changed.

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
	grep -q "^usage: bantin \[-dfhnVv\]" "$TMP/h" || fail "-h: no usage"
	grep -q "(default conf/bantin.ini)" "$TMP/h" || fail "-h: no default"
	[ ! -s "$TMP/h.err" ] || fail "-h wrote to stderr"
	# README's usage block is -h's text
	sed -n '/^usage: bantin /,/^```/p' README.md | sed '$d' |
	    diff - "$TMP/h" || fail "README's usage block is not bantin -h"
	rc=0; "$BANTIN" -Z >"$TMP/h" 2>"$TMP/h.err" || rc=$?
	[ $rc = 1 ] && [ ! -s "$TMP/h" ] || fail "a bad option: exit $rc"
	grep -q "^usage:" "$TMP/h.err" || fail "a bad option: no usage"
}

# man_lint PAGE...: what mandoc -Tlint -Wall says of the PAGEs, every
# level, .Xr references included. mandoc looks a reference up in
# /usr/share/man alone, and one there without its mandoc.db is a
# message too; so the lint runs in a mount namespace of its own where
# /usr/share/man is a scratch tree that makewhatis indexed: the PAGEs
# (bantin's pages name each other) and the system's pages they name
# (a page the system lacks stays a message). Without a mount namespace
# (neither root nor a user namespace), the lint is -W warning: no
# reference is looked up.
man_lint() {
	_mt=$TMP/man.lint
	rm -rf "$_mt"
	for _p; do
		mkdir -p "$_mt/man${_p##*.}"
		cp "$_p" "$_mt/man${_p##*.}/"
	done
	sed -n 's/^\.Xr \([^ ]*\) \([1-9]\).*/\1 \2/p' "$@" | sort -u |
	    while read -r _n _s; do
		[ -e "$_mt/man$_s/$_n.$_s" ] && continue
		for _f in /usr/share/man/man$_s/$_n.$_s*; do
			[ -f "$_f" ] || continue
			mkdir -p "$_mt/man$_s"
			cp "$_f" "$_mt/man$_s/"
			break
		done
	done
	if unshare -m true 2>/dev/null; then
		_ns="unshare -m"
	elif unshare -r -m true 2>/dev/null; then
		_ns="unshare -r -m"
	else
		echo "no mount namespace: mandoc -Tlint -W warning, references unchecked" >&2
		mandoc -Tlint -W warning "$@" 2>&1 || true
		return 0
	fi
	PATH=$PATH:/usr/sbin makewhatis "$_mt" 2>&1
	$_ns sh -c 'mount --bind "$1" /usr/share/man && shift &&
	    mandoc -Tlint -Wall "$@"' sh "$_mt" "$@" 2>&1 || true
}

test_man_lint() {
	command -v mandoc >/dev/null || fail "no mandoc (tools/deps.sh)"
	TMP=$(mktemp -d /tmp/bantin-test.XXXXXX)
	out=$(man_lint man/bantin.8 man/bantin.ini.5)
	[ -z "$out" ] || fail "mandoc -Tlint -Wall: $out"
	# and a reference that leads nowhere is found, so the check checks
	sed 's/^\.Xr bantin\.ini 5/.Xr bantin.conf 5/' man/bantin.8 >"$TMP/bantin.8"
	out=$(man_lint "$TMP/bantin.8" man/bantin.ini.5)
	case $out in
	*"referenced manual not found: Xr bantin.conf 5"*) ;;
	"no mount namespace"*) ;;
	*) fail "a bad reference passed: $out" ;;
	esac
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
	# the manual pages name the version in their text, .Os bare, and
	# lint clean at every level
	for p in man8/bantin.8 man5/bantin.ini.5; do
		grep -qx '\.Os' "$R/usr/share/man/$p" || fail "$p: .Os"
		! grep -q 'X\.Y\.Z' "$R/usr/share/man/$p" || fail "$p: X.Y.Z left"
	done
	grep -qxF ".Dq bantin No $v ," "$R/usr/share/man/man8/bantin.8" ||
		fail "bantin.8: no version"
	grep -qxF ".No $v ;" "$R/usr/share/man/man5/bantin.ini.5" ||
		fail "bantin.ini.5: no version"
	if command -v mandoc >/dev/null; then
		out=$(man_lint "$R"/usr/share/man/man*/*)
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
		# exposure 1.5 of 10 with the unit as it is (systemd 252; the
		# capset it allows is a call of @privileged), as README says;
		# more fails
		systemd-analyze security --offline=true --threshold=15 \
		    "$TMP/bantin.service" >"$TMP/security" 2>&1 ||
			{ tail -n 20 "$TMP/security"; fail "systemd-analyze security"; }
		tail -n 1 "$TMP/security"
		# with the drop-in that lets Titan write the tree, as
		# docs/titan.md gives it: verified, and rated the same
		mkdir "$TMP/bantin.service.d"
		sed -n '/^# \/etc\/systemd\/system\/bantin.service.d\/titan.conf$/,/^```/p' \
		    docs/titan.md | grep -v '^```' >"$TMP/bantin.service.d/titan.conf"
		grep -qx 'ReadWritePaths=/srv/bantin' "$TMP/bantin.service.d/titan.conf" ||
			fail "docs/titan.md: no drop-in"
		MANPATH=$R/usr/share/man systemd-analyze verify \
		    "$TMP/bantin.service" >"$TMP/verify" 2>&1 ||
			{ cat "$TMP/verify"; fail "systemd-analyze verify, Titan's drop-in"; }
		[ ! -s "$TMP/verify" ] || { cat "$TMP/verify"; fail "verify, Titan's drop-in: said something"; }
		systemd-analyze security --offline=true \
		    "$TMP/bantin.service" 2>&1 | tail -n 1 >"$TMP/security.titan"
		tail -n 1 "$TMP/security" | cmp -s - "$TMP/security.titan" ||
			fail "Titan's drop-in: $(cat "$TMP/security.titan")"
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

test_deb() {
	if ! command -v dpkg-deb >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
		echo "no dpkg-dev: the package is not built"
		return 0
	fi
	setup
	v=$(cat VERSION)
	a=$(dpkg --print-architecture)
	# its own build from clean, then lintian when it is installed
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh tools/deb.sh "$TMP" \
	    >"$TMP/deb.out" 2>&1 || { tail -n 30 "$TMP/deb.out"; fail "deb.sh"; }
	grep -v '^cc \|^    \|^install \|^sed \|^make' "$TMP/deb.out" | tail -n 5
	D=$TMP/bantin_${v}_$a.deb
	[ -f "$D" ] || fail "no $D"
	command -v lintian >/dev/null || echo "no lintian: the package is not checked"
	dpkg-deb -c "$D" | awk '{print $6}' | grep -v '/$' >"$TMP/files"
	printf '%s\n' ./etc/bantin/bantin.ini ./lib/systemd/system/bantin.service \
	    ./usr/sbin/bantin ./usr/share/doc/bantin/changelog.gz \
	    ./usr/share/doc/bantin/copyright ./usr/share/lintian/overrides/bantin \
	    ./usr/share/man/man5/bantin.ini.5.gz ./usr/share/man/man8/bantin.8.gz |
	    diff - "$TMP/files" || fail "the package's files"
	[ "$(dpkg-deb -f "$D" Version)" = "$v" ] || fail "Version"
	dpkg-deb -f "$D" Depends | grep -q "libssl3.*, adduser" || fail "Depends"
	dpkg-deb --ctrl-tarfile "$D" | tar -xO ./conffiles |
	    grep -qx /etc/bantin/bantin.ini || fail "conffiles"
	mkdir "$TMP/ctrl"
	dpkg-deb -e "$D" "$TMP/ctrl"
	for s in postinst prerm postrm; do
		sh -n "$TMP/ctrl/$s" || fail "$s"
	done
	grep -q "adduser --system" "$TMP/ctrl/postinst" || fail "postinst: no user"
	dpkg-deb -x "$D" "$TMP/pkg"
	[ "$("$TMP/pkg/usr/sbin/bantin" -V)" = "bantin $v" ] || fail "package -V"
	serve_installed "$TMP/pkg"
	if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null ||
	    ! unshare -m -n true 2>/dev/null; then
		echo "not root, or no namespaces or ip: no dpkg -i"
		return 0
	fi
	unshare -m -n sh -c ". tests/integration/lib.sh;
	    . tests/integration/tests_install.sh; TMP='$TMP'; PID=;
	    trap scratch_stop EXIT; set -ex; dpkg_scratch '$D'"
}

# scratch_stop: the server of dpkg_scratch, should a check fail while
# it runs (it would keep the namespace, and its mounts, alive)
scratch_stop() {
	_rc=$?
	if [ -n "$PID" ]; then
		kill -TERM "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	exit $_rc
}

# dpkg_scratch DEB, in mount and network namespaces of its own (unshare
# -m -n): DEB installed with dpkg -i into a copy of this system, an
# overlay over / (the system itself is never written), as on a fresh
# Debian: its scripts make the user and folders. Its bantin starts as
# bantin.service starts it, as the user bantin with no capability but
# CAP_NET_BIND_SERVICE, with the configuration as installed: ports
# 1965 and 70 of every address, which here are only the namespace's
# loopback's. Then the package is purged.
dpkg_scratch() {
	M=$TMP/merged
	mkdir -p "$TMP/upper" "$TMP/work" "$M"
	ip link set lo up
	mount -t overlay overlay \
	    -o "lowerdir=/,upperdir=$TMP/upper,workdir=$TMP/work" "$M"
	mount --bind /proc "$M/proc"
	mount --bind /dev "$M/dev"
	mount -t tmpfs tmpfs "$M/tmp"
	cp "$1" "$M/tmp/bantin.deb"
	chroot "$M" dpkg -i /tmp/bantin.deb >"$TMP/dpkg.out" 2>&1 ||
		{ cat "$TMP/dpkg.out"; fail "dpkg -i"; }
	chroot "$M" getent passwd bantin | grep -q ':/var/lib/bantin:' ||
		fail "no user bantin"
	[ "$(chroot "$M" stat -c '%U %a' /var/lib/bantin)" = "bantin 700" ] ||
		fail "state folder"
	[ -L "$M/etc/systemd/system/multi-user.target.wants/bantin.service" ] ||
		fail "the service is not enabled"
	cp -r "$TMP/capsule/." "$M/srv/bantin/"
	_lines=0 _slog=$TMP/log
	chroot "$M" setpriv --reuid=bantin --regid=bantin --init-groups \
	    --bounding-set=-all,+net_bind_service \
	    --inh-caps=-all,+net_bind_service \
	    --ambient-caps=+net_bind_service \
	    /usr/sbin/bantin -d 2>"$TMP/log" &
	PID=$!
	wait_for 60 ready_or_gone
	grep -q ' ready: .*gemini \* port 1965 gopher \* port 70' "$TMP/log" ||
		{ cat "$TMP/log"; fail "not ready"; }
	GP=1965 HP=70
	gem "gemini://localhost/"
	expect_status 20
	expect_body "# Bản tin quận Bình Lâm"
	gopher /
	printf '%s' "$GOPHER" | grep -q "^1Thời sự (2 bài)	/thoi-su/	localhost	70" ||
		fail "gopher on port 70"
	stop_server || fail "stop: exit $?"
	chroot "$M" dpkg --purge bantin >"$TMP/dpkg.out" 2>&1 ||
		{ cat "$TMP/dpkg.out"; fail "dpkg --purge"; }
	[ ! -e "$M/var/lib/bantin" ] || fail "purge left the state folder"
	[ -e "$M/srv/bantin/gioi-thieu.gmi" ] || fail "purge took the content"
	umount "$M/tmp" "$M/dev" "$M/proc" "$M"
}
