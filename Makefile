# bantin: a news site over Gemini and Gopher.
#   make          build ./bantin
#   make run      install missing packages, build, serve capsule/
#   make check    install missing packages, build, run every test
#   make deps     install the missing packages only (tools/deps.sh)
#   make fuzz     build the fuzzing harnesses (tests/fuzz/run.sh runs them)
#   make bench    side-by-side benchmarks (BENCHMARKS.md)
#   make bench-proxy  what the PROXY header costs (make bench runs it)
#   make bench-redis  what the Redis counter backend costs (make bench runs it)
#   make bench-scale  a 100,000-article tree (BENCH_SCALE_N=1000000: a million)
#   make bench-slow  a reader's latency under a slow-client attack
#   make bench-board  one core, one worker, 10,000 articles, as on a board
#   make install  the binary, manual pages, bantin.ini and bantin.service
#                 (PREFIX, SYSCONFDIR, DESTDIR); make uninstall
#   make deb      bantin_VERSION_ARCH.deb (tools/deb.sh)
#   make cross-arm64, make cross-armhf  bantin and its unit tests for ARM
#                 boards, into build-arm64/ and build-armhf/
#   make check-cross  both, tested under qemu-user
#   make deps-cross  their compilers and libraries only
#   make clean    every build; make clean-cross the ARM builds alone
# SANITIZE=1 builds with ASan + UBSan.

PROG =		bantin
# the one version: bantin -V, the installed manual pages, the package
VERSION !=	cat VERSION

PREFIX =	/usr/local
# /etc for a system's own prefix, /usr; PREFIX/etc otherwise
SYSCONFDIR =	$(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
SBINDIR =	$(PREFIX)/sbin
MANDIR =	$(PREFIX)/share/man
UNITDIR =	$(PREFIX)/lib/systemd/system
CONFDIR =	$(SYSCONFDIR)/bantin
CC ?=		cc
PKGS =		libssl libcrypto libmagic lowdown libxml-2.0 libutf8proc sqlite3 \
		libseccomp hiredis libzstd

CORE =		buf.c log.c utf8.c gemtext.c label.c zone.c proto.c path.c \
		convert.c convert_md.c convert_html.c convert_html_tree.c \
		convert_html_meta.c convert_html_pick.c convert_html_page.c \
		convert_txt.c \
		article.c article_news.c site_load.c site_patch.c site_image.c site_walk.c \
		site_entry.c site.c catalog.c catalog_bulk.c catalog_scan.c \
		search.c counter.c counter_map.c counter_redis.c render.c \
		scheme.c route.c mime.c memo.c pagecache.c serve.c authors.c
FRONT =		gemini.c gopher.c gopher_render.c titan.c
TRANSPORT =	loop.c listen.c tls_key.c tls.c iplimit.c proxy.c conn.c \
		certcheck.c ticket.c
SUPPORT =	config.c sandbox.c memtrim.c msg.c
SRCS =		main.c privsep.c master.c server.c preview.c import.c publish.c \
		$(CORE) $(FRONT) $(TRANSPORT) $(SUPPORT)

B =		build
OBJS =		$(SRCS:%.c=$(B)/%.o)
CORE_OBJS =	$(CORE:%.c=$(B)/%.o)

WARN =		-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith \
		-Wsign-compare -Wcast-qual
PKG_CFLAGS !=	pkg-config --cflags $(PKGS) 2>/dev/null || true
PKG_LIBS !=	pkg-config --libs libssl libcrypto libmagic libxml-2.0 \
		    libutf8proc sqlite3 libseccomp hiredis libzstd 2>/dev/null || \
		    echo -lssl -lcrypto -lmagic -lxml2 -lutf8proc -lsqlite3 \
		    -lseccomp -lhiredis -lzstd
CFLAGS ?=	-O2 -g
CFLAGS +=	-std=c11 -D_GNU_SOURCE $(WARN) -Iinclude \
		-I/usr/include/iniparser -I/usr/include/libxml2 $(PKG_CFLAGS)
LDLIBS =	$(PKG_LIBS) -llowdown -liniparser -lm

# BANTIN_SANITIZE: the worker's system call filter lets LeakSanitizer's
# tracer run at exit (sandbox.c)
ifeq ($(SANITIZE),1)
CFLAGS +=	-fsanitize=address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-recover=undefined -DBANTIN_SANITIZE
LDFLAGS +=	-fsanitize=address,undefined
B =		build-san
endif

UNIT =		buf utf8 gemtext path config convert article site render \
		scheme route counter search gemini gopher memo pagecache \
		memtrim sandbox zone label import tls_key log certcheck iplimit \
		ticket authors titan proxy
UNIT_BINS =	$(UNIT:%=$(B)/test_%)

all: $(PROG) $(B)/bantin-installed

# ./bantin is linked from build/ or build-san/: the flavour of the last
# link is kept in a file that changes when the flavour does, so that
# `make` after `make SANITIZE=1` relinks (and bench never times ASan)
FLAVOUR =	.bantin-flavour
_ :=		$(shell [ "$$(cat $(FLAVOUR) 2>/dev/null)" = "$(B)" ] || \
		    echo "$(B)" > $(FLAVOUR))

$(PROG): $(OBJS) $(FLAVOUR)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

$(B)/%.o: src/%.c | $(B)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# ./bantin reads conf/bantin.ini by default, as the checkout's folder
# has it; the binary make install puts in place reads
# $(CONFDIR)/bantin.ini. Only main.o differs between the two. The
# paths written into installed files are kept in a file that changes
# when they do, so that a make install with other paths remakes them.
PATHS =		$(B)/paths
_ :=		$(shell mkdir -p $(B); \
		    [ "$$(cat $(PATHS) 2>/dev/null)" = "$(SBINDIR) $(CONFDIR)" ] || \
		    echo "$(SBINDIR) $(CONFDIR)" > $(PATHS))
MAIN_DEFS =	-DBANTIN_VERSION='"$(VERSION)"'

$(B)/main.o: CFLAGS += $(MAIN_DEFS) -DBANTIN_CONF='"conf/bantin.ini"'
$(B)/main.o: VERSION

$(B)/main-installed.o: src/main.c VERSION $(PATHS) | $(B)
	$(CC) $(CFLAGS) $(MAIN_DEFS) -DBANTIN_CONF='"$(CONFDIR)/bantin.ini"' \
	    -MMD -MP -c -o $@ src/main.c

$(B)/bantin-installed: $(filter-out $(B)/main.o,$(OBJS)) \
		$(B)/main-installed.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/%.o: tests/unit/%.c | $(B)
	$(CC) $(CFLAGS) -Itests/unit -MMD -MP -c -o $@ $<

$(B):
	mkdir -p $(B)

# Each unit test links the few objects it needs.
$(B)/test_buf: $(B)/test_buf.o $(B)/buf.o
$(B)/test_utf8: $(B)/test_utf8.o $(B)/utf8.o $(B)/buf.o
$(B)/test_gemtext: $(B)/test_gemtext.o $(B)/gemtext.o $(B)/utf8.o $(B)/buf.o
$(B)/test_path: $(B)/test_path.o $(B)/path.o $(B)/utf8.o $(B)/buf.o
$(B)/test_config: $(B)/test_config.o $(B)/config.o $(B)/label.o \
		$(B)/zone.o $(B)/log.o $(B)/buf.o
# test_config fails config_load's allocations one at a time: its own
# wrappers stand in for the allocator in the objects it links
$(B)/test_config: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
		-Wl,--wrap=strdup,--wrap=asprintf,--wrap=free
$(B)/test_convert: $(B)/test_convert.o $(B)/convert.o $(B)/convert_md.o \
		$(B)/convert_html.o $(B)/convert_html_tree.o \
		$(B)/convert_html_meta.o $(B)/convert_html_pick.o \
		$(B)/convert_html_page.o $(B)/convert_txt.o $(B)/gemtext.o \
		$(B)/utf8.o $(B)/buf.o
$(B)/test_article: $(B)/test_article.o $(B)/article.o $(B)/article_news.o \
		$(B)/convert.o \
		$(B)/convert_md.o $(B)/convert_html.o $(B)/convert_html_tree.o \
		$(B)/convert_html_meta.o $(B)/convert_html_pick.o \
		$(B)/convert_html_page.o $(B)/convert_txt.o \
		$(B)/gemtext.o $(B)/utf8.o $(B)/zone.o $(B)/log.o $(B)/buf.o
$(B)/test_counter: $(B)/test_counter.o $(B)/counter.o $(B)/counter_map.o \
		$(B)/utf8.o $(B)/log.o $(B)/buf.o
$(B)/test_pagecache: $(B)/test_pagecache.o $(B)/pagecache.o $(B)/counter.o \
		$(B)/counter_map.o $(B)/utf8.o $(B)/log.o $(B)/buf.o
$(B)/test_memtrim: $(B)/test_memtrim.o $(B)/memtrim.o
$(B)/test_sandbox: $(B)/test_sandbox.o $(B)/sandbox.o $(B)/log.o
$(B)/test_scheme: $(B)/test_scheme.o $(B)/scheme.o
$(B)/test_memo: $(B)/test_memo.o $(B)/memo.o
$(B)/test_iplimit: $(B)/test_iplimit.o $(B)/iplimit.o
$(B)/test_proxy: $(B)/test_proxy.o $(B)/proxy.o
$(B)/test_zone: $(B)/test_zone.o $(B)/zone.o $(B)/log.o
$(B)/test_label: $(B)/test_label.o $(B)/label.o
$(B)/test_tls_key: $(B)/test_tls_key.o $(B)/tls_key.o $(B)/msg.o $(B)/log.o \
		$(B)/buf.o
$(B)/test_log: $(B)/test_log.o $(B)/log.o
$(B)/test_ticket: $(B)/test_ticket.o $(B)/ticket.o
$(B)/test_certcheck: $(B)/test_certcheck.o $(B)/certcheck.o $(B)/tls.o \
		$(B)/tls_key.o $(B)/msg.o $(B)/buf.o \
		$(B)/log.o
$(B)/test_import: $(B)/test_import.o $(B)/import.o $(B)/convert.o \
		$(B)/convert_md.o $(B)/convert_html.o $(B)/convert_html_tree.o \
		$(B)/convert_html_meta.o $(B)/convert_html_pick.o \
		$(B)/convert_html_page.o $(B)/convert_txt.o $(B)/gemtext.o \
		$(B)/scheme.o $(B)/path.o $(B)/utf8.o $(B)/buf.o
# The front ends' tests bring their own serve(): no content core.
$(B)/test_gemini: $(B)/test_gemini.o $(B)/gemini.o $(B)/path.o \
		$(B)/proto.o $(B)/utf8.o $(B)/buf.o
$(B)/test_gopher: $(B)/test_gopher.o $(B)/gopher.o $(B)/gopher_render.o \
		$(B)/scheme.o $(B)/gemtext.o $(B)/mime.o $(B)/path.o \
		$(B)/proto.o $(B)/utf8.o $(B)/buf.o
$(B)/test_site $(B)/test_render $(B)/test_route $(B)/test_search: \
		$(CORE_OBJS)
$(B)/test_authors: $(B)/test_authors.o $(B)/authors.o $(B)/path.o \
		$(B)/utf8.o $(B)/buf.o
$(B)/test_titan: $(B)/test_titan.o $(B)/titan.o $(B)/gemini.o $(B)/conn.o \
		$(B)/tls.o $(B)/tls_key.o $(B)/loop.o $(B)/iplimit.o $(B)/proxy.o \
		$(B)/msg.o $(CORE_OBJS)
$(B)/test_site: $(B)/test_site.o
$(B)/test_render: $(B)/test_render.o
$(B)/test_route: $(B)/test_route.o
$(B)/test_search: $(B)/test_search.o

$(UNIT_BINS):
	$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(LDLIBS)

deps:
	@sh tools/deps.sh

run: deps
	$(MAKE) $(PROG)
	./$(PROG) -d -c conf/bantin.ini

# check builds and tests JOBS at a time (one per core; make -jN keeps N
# for the build)
JOBS ?=		$(shell nproc 2>/dev/null || echo 2)

check: deps
	$(MAKE) $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS)) $(PROG) $(UNIT_BINS)
	JOBS=$(JOBS) sh tests/run.sh $(B)

# fuzz builds the libFuzzer harnesses of tests/fuzz/ into build-fuzz/
# (clang, ASan + UBSan); tests/fuzz/run.sh runs them
fuzz:
	@sh tools/deps.sh fuzz
	$(MAKE) -f tests/fuzz/fuzz.mk $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS))

bench: deps
	sh tools/deps.sh bench
	$(MAKE) $(PROG) bench/loadgen bench/bare
	sh bench/run.sh
	BENCH_PROXY_CMD="make bench" sh bench/proxy.sh
	sh bench/redis.sh

# what the PROXY protocol's header costs, alone (make bench runs it)
bench-proxy: deps
	$(MAKE) $(PROG) bench/loadgen
	sh bench/proxy.sh

# what [counter] backend = redis costs against backend = file (the
# "Counters in Redis" section of BENCHMARKS.md), alone
bench-redis: deps
	$(MAKE) $(PROG) bench/loadgen
	sh bench/redis.sh

bench-scale: deps
	$(MAKE) $(PROG) bench/loadgen
	sh bench/scale.sh

bench-slow: deps
	sh tools/deps.sh bench
	$(MAKE) $(PROG) bench/loadgen
	sh bench/slow.sh

# The load generator stands alone; the bare responder is built from
# bantin's own transport objects, so it is the ceiling for this code.
BENCH_OBJS =	$(B)/tls.o $(B)/tls_key.o $(B)/msg.o $(B)/loop.o $(B)/listen.o $(B)/buf.o $(B)/log.o

bench/loadgen: bench/loadgen.c $(FLAVOUR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ bench/loadgen.c -lssl -lcrypto

bench/bare: bench/bare.c $(BENCH_OBJS) $(FLAVOUR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ bench/bare.c $(BENCH_OBJS) \
	    -lssl -lcrypto

# The installed files: the manual pages name the version (for X.Y.Z,
# in their text: .Os stays bare, for the system's name) and the paths,
# bantin.ini takes a service's values, the unit the binary's path.
INST_SED =	-e 's|Ar X\.Y\.Z|No $(VERSION)|g' \
		-e 's|/etc/bantin/|$(CONFDIR)/|g' \
		-e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@CONFDIR@|$(CONFDIR)|g'
INST =		$(B)/inst
INST_FILES =	$(INST)/bantin.8 $(INST)/bantin.ini.5 $(INST)/bantin.ini \
		$(INST)/bantin.service

$(INST)/bantin.8 $(INST)/bantin.ini.5: $(INST)/%: man/% VERSION $(PATHS)
	@mkdir -p $(INST)
	sed $(INST_SED) man/$* >$@
$(INST)/bantin.service: dist/bantin.service $(PATHS)
	@mkdir -p $(INST)
	sed $(INST_SED) dist/bantin.service >$@
$(INST)/bantin.ini: conf/bantin.ini dist/bantin.ini.sed
	@mkdir -p $(INST)
	sed -f dist/bantin.ini.sed conf/bantin.ini >$@

# An existing bantin.ini is the operator's: never replaced.
install: $(B)/bantin-installed $(INST_FILES)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(CONFDIR) $(DESTDIR)$(UNITDIR)
	install -m 755 $(B)/bantin-installed $(DESTDIR)$(SBINDIR)/bantin
	install -m 644 $(INST)/bantin.8 $(DESTDIR)$(MANDIR)/man8/bantin.8
	install -m 644 $(INST)/bantin.ini.5 \
	    $(DESTDIR)$(MANDIR)/man5/bantin.ini.5
	install -m 644 $(INST)/bantin.service \
	    $(DESTDIR)$(UNITDIR)/bantin.service
	@if [ -e $(DESTDIR)$(CONFDIR)/bantin.ini ]; then \
		echo "kept $(DESTDIR)$(CONFDIR)/bantin.ini;" \
		    "the new one is $(INST)/bantin.ini"; \
	else \
		echo install -m 644 $(INST)/bantin.ini \
		    $(DESTDIR)$(CONFDIR)/bantin.ini; \
		install -m 644 $(INST)/bantin.ini \
		    $(DESTDIR)$(CONFDIR)/bantin.ini; \
	fi

# bantin.ini goes only as it was installed; the state folder and the
# content tree are the site's, never removed here
uninstall: $(INST)/bantin.ini
	rm -f $(DESTDIR)$(SBINDIR)/bantin $(DESTDIR)$(MANDIR)/man8/bantin.8 \
	    $(DESTDIR)$(MANDIR)/man5/bantin.ini.5 \
	    $(DESTDIR)$(UNITDIR)/bantin.service
	@if cmp -s $(INST)/bantin.ini $(DESTDIR)$(CONFDIR)/bantin.ini; then \
		echo rm -f $(DESTDIR)$(CONFDIR)/bantin.ini; \
		rm -f $(DESTDIR)$(CONFDIR)/bantin.ini; \
		rmdir $(DESTDIR)$(CONFDIR) 2>/dev/null || true; \
	elif [ -e $(DESTDIR)$(CONFDIR)/bantin.ini ]; then \
		echo "kept $(DESTDIR)$(CONFDIR)/bantin.ini: it was changed"; \
	fi

deb:
	+sh tools/deb.sh

clean:
	rm -rf build build-san build-fuzz build-deb $(PROG) bench/loadgen \
	    bench/bare

.PHONY: all deps run check fuzz bench bench-scale clean install uninstall \
	deb bench-slow bench-proxy bench-redis

# Small boards: bantin built for 64-bit (arm64) and 32-bit (armhf) ARM
# with Debian's cross compilers and multiarch libraries (tools/deps.sh
# cross installs them), and tested under qemu-user-static. Each build
# is a second make of this file into build-<arch>/, with its sources,
# flags and pkg-config list, so it never touches build/ or ./bantin.
# Large files and 64-bit time everywhere: 32-bit readdir fails with
# EOVERFLOW on a filesystem with 64-bit inode numbers, and time_t ends
# in 2038 (no-ops where long is 64 bits). Only libc follows these
# flags: a 32-bit system's other libraries may be built with a 32-bit
# time_t or off_t (Debian 12's armhf hiredis and OpenSSL have a 32-bit
# time_t), so no time_t, off_t or struct holding one (timeval,
# timespec, stat) goes to them: counter_redis.c sets its socket's
# timeouts itself for that.
CFLAGS +=	-D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64
CROSS_ARCHS =	arm64 armhf
TRIPLET_arm64 =	aarch64-linux-gnu
TRIPLET_armhf =	arm-linux-gnueabihf

deps-cross:
	@sh tools/deps.sh cross $(CROSS_ARCHS)

$(CROSS_ARCHS:%=cross-%): cross-%: deps-cross
	@mkdir -p build-$*
	PKG_CONFIG_LIBDIR=/usr/lib/$(TRIPLET_$*)/pkgconfig:/usr/share/pkgconfig \
	    $(MAKE) $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS)) SANITIZE= \
	    CC=$(TRIPLET_$*)-gcc B=build-$* PROG=build-$*/$(PROG) \
	    FLAVOUR=build-$*/.flavour build-$*/$(PROG) $(UNIT:%=build-$*/test_%)

# the unit tests and a smoke test of each build under the emulator
check-cross: $(CROSS_ARCHS:%=cross-%)
	sh tests/cross.sh $(CROSS_ARCHS)

# bantin as a small board runs it: one core, one worker, 10,000 articles
# (bench/board.sh, the "Board" section of BENCHMARKS.md)
bench-board: deps
	$(MAKE) $(PROG) bench/loadgen
	sh bench/board.sh

clean: clean-cross
clean-cross:
	rm -rf $(CROSS_ARCHS:%=build-%)

.PHONY: deps-cross $(CROSS_ARCHS:%=cross-%) check-cross clean-cross \
		bench-board

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d) $(B)/main-installed.d
