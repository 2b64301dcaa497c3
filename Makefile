# bantin: a news site over Gemini and Gopher.
#   make          build ./bantin
#   make run      install missing packages, build, serve capsule/
#   make check    install missing packages, build, run every test
#   make fuzz     build the fuzzing harnesses (tests/fuzz/run.sh runs them)
#   make bench    side-by-side benchmarks (BENCHMARKS.md)
#   make bench-slow  a reader's latency under a slow-client attack
# SANITIZE=1 builds with ASan + UBSan.

PROG =		bantin
CC ?=		cc
PKGS =		libssl libcrypto libmagic lowdown libxml-2.0 libutf8proc sqlite3

CORE =		buf.c log.c utf8.c gemtext.c label.c zone.c proto.c path.c \
		convert.c convert_md.c convert_html.c convert_html_tree.c \
		convert_html_meta.c convert_html_pick.c convert_html_page.c \
		convert_txt.c \
		article.c article_news.c site_load.c site_walk.c \
		site_entry.c site.c catalog.c search.c counter.c render.c \
		scheme.c route.c mime.c memo.c pagecache.c serve.c
FRONT =		gemini.c gopher.c gopher_render.c
TRANSPORT =	loop.c listen.c tls.c iplimit.c conn.c
SUPPORT =	config.c sandbox.c memtrim.c
SRCS =		main.c master.c server.c preview.c import.c $(CORE) $(FRONT) $(TRANSPORT) $(SUPPORT)

B =		build
OBJS =		$(SRCS:%.c=$(B)/%.o)
CORE_OBJS =	$(CORE:%.c=$(B)/%.o)

WARN =		-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith \
		-Wsign-compare -Wcast-qual
PKG_CFLAGS !=	pkg-config --cflags $(PKGS) 2>/dev/null || true
PKG_LIBS !=	pkg-config --libs libssl libcrypto libmagic libxml-2.0 \
		    libutf8proc sqlite3 2>/dev/null || \
		    echo -lssl -lcrypto -lmagic -lxml2 -lutf8proc -lsqlite3
CFLAGS ?=	-O2 -g
CFLAGS +=	-std=c11 -D_GNU_SOURCE $(WARN) -Iinclude \
		-I/usr/include/iniparser -I/usr/include/libxml2 $(PKG_CFLAGS)
LDLIBS =	$(PKG_LIBS) -llowdown -liniparser -lm

ifeq ($(SANITIZE),1)
CFLAGS +=	-fsanitize=address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-recover=undefined
LDFLAGS +=	-fsanitize=address,undefined
B =		build-san
endif

UNIT =		buf utf8 gemtext path config convert article site render \
		scheme route counter search gemini gopher memo pagecache \
		memtrim sandbox zone label import iplimit
UNIT_BINS =	$(UNIT:%=$(B)/test_%)

all: $(PROG)

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
		$(B)/gemtext.o $(B)/utf8.o $(B)/zone.o $(B)/buf.o
$(B)/test_counter: $(B)/test_counter.o $(B)/counter.o $(B)/utf8.o $(B)/log.o \
		$(B)/buf.o
$(B)/test_pagecache: $(B)/test_pagecache.o $(B)/pagecache.o $(B)/counter.o \
		$(B)/utf8.o $(B)/log.o $(B)/buf.o
$(B)/test_memtrim: $(B)/test_memtrim.o $(B)/memtrim.o
$(B)/test_sandbox: $(B)/test_sandbox.o $(B)/sandbox.o
$(B)/test_scheme: $(B)/test_scheme.o $(B)/scheme.o
$(B)/test_memo: $(B)/test_memo.o $(B)/memo.o
$(B)/test_iplimit: $(B)/test_iplimit.o $(B)/iplimit.o
$(B)/test_zone: $(B)/test_zone.o $(B)/zone.o
$(B)/test_label: $(B)/test_label.o $(B)/label.o
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

bench-scale: deps
	$(MAKE) $(PROG) bench/loadgen
	sh bench/scale.sh

bench-slow: deps
	sh tools/deps.sh bench
	$(MAKE) $(PROG) bench/loadgen
	sh bench/slow.sh

# The load generator stands alone; the bare responder is built from
# bantin's own transport objects, so it is the ceiling for this code.
BENCH_OBJS =	$(B)/tls.o $(B)/loop.o $(B)/listen.o $(B)/buf.o $(B)/log.o

bench/loadgen: bench/loadgen.c $(FLAVOUR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ bench/loadgen.c -lssl -lcrypto

bench/bare: bench/bare.c $(BENCH_OBJS) $(FLAVOUR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ bench/bare.c $(BENCH_OBJS) \
	    -lssl -lcrypto

clean:
	rm -rf build build-san build-fuzz $(PROG) bench/loadgen bench/bare

.PHONY: all deps run check fuzz bench bench-scale bench-slow clean

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)
