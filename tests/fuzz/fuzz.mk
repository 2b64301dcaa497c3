# fuzz.mk: the libFuzzer harnesses of tests/fuzz/, one binary each in
# build-fuzz/, built by clang with -fsanitize=fuzzer,address,undefined
# (every UBSan finding aborts). Run from the top: `make fuzz` installs
# clang and its runtime (tools/deps.sh fuzz), then builds with this.
# tests/fuzz/run.sh runs them.

FUZZ =		gemini gopher path config counter counts article md html txt \
		titan authors \
		gemtext gopher_render proxy
FB =		build-fuzz
FCC =		clang
WARN =		-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith \
		-Wsign-compare -Wcast-qual
PKGS =		libssl libcrypto libmagic lowdown libxml-2.0 libutf8proc sqlite3 \
		libseccomp hiredis libzstd
PKG_CFLAGS !=	pkg-config --cflags $(PKGS) 2>/dev/null || true
PKG_LIBS !=	pkg-config --libs $(PKGS) 2>/dev/null || \
		    echo -lssl -lcrypto -lmagic -lxml2 -lutf8proc -lsqlite3 -lseccomp \
		    -lhiredis -lzstd
SAN =		-fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-fno-omit-frame-pointer
FCFLAGS =	-O1 -g -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude \
		-Itests/fuzz -I/usr/include/iniparser -I/usr/include/libxml2 \
		$(PKG_CFLAGS) $(SAN)
FLIBS =		$(PKG_LIBS) -llowdown -liniparser -lm

# every object but main.c's: a harness links what it calls
FOBJS =		$(patsubst src/%.c,$(FB)/%.o,$(filter-out src/main.c, \
		    $(wildcard src/*.c)))
BINS =		$(FUZZ:%=$(FB)/fuzz_%)

all: $(BINS)

$(FB):
	mkdir -p $(FB)

$(FB)/%.o: src/%.c | $(FB)
	$(FCC) $(FCFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FB)/fuzz_%.o: tests/fuzz/fuzz_%.c | $(FB)
	$(FCC) $(FCFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FB)/fuzz_%: $(FB)/fuzz_%.o $(FOBJS)
	$(FCC) $(SAN) -fsanitize=fuzzer -o $@ $^ $(FLIBS)

.PHONY: all
.SECONDARY:

-include $(FOBJS:.o=.d) $(BINS:=.d)
