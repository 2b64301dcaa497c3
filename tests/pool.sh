# pool.sh: run the tests a few at a time (POSIX sh, sourced).

# JOBS: how many at a time; by default one per core
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
case $JOBS in ''|*[!0-9]*|0) JOBS=1 ;; esac

# pool RUN REPORT ITEM...: "RUN ITEM" for each item in the background,
# JOBS at a time; as each ends, in the order they end, "REPORT ITEM
# STATUS SECONDS" in this shell (it may count and print). The jobs
# tell their end on a FIFO, one short line each.
pool() {
	_run=$1 _report=$2; shift 2
	_dir=$(mktemp -d /tmp/bantin-pool.XXXXXX) && mkfifo "$_dir/fifo" ||
		{ echo "pool: cannot make a FIFO"; exit 1; }
	exec 9<>"$_dir/fifo"
	rm -rf "$_dir"
	_busy=0
	for _item; do
		if [ $_busy -ge "$JOBS" ]; then
			pool_reap; _busy=$((_busy - 1))
		fi
		(
			_t0=$(date +%s)
			"$_run" "$_item" 9>&-
			_rc=$?
			echo "$_item $_rc $(( $(date +%s) - _t0 ))" >&9
		) &
		_busy=$((_busy + 1))
	done
	while [ $_busy -gt 0 ]; do
		pool_reap; _busy=$((_busy - 1))
	done
	exec 9>&-
}

pool_reap() {
	read -r _it _rc _secs <&9
	"$_report" "$_it" "$_rc" "$_secs"
}
