# orderkit: small programs for an online shop's orders, one per step.
# make | make check | make asan | make tsan | make demo | make bench | make lint
# make fuzz FUZZ_SECONDS=60 | make fuzz-ci
# make install PREFIX=/usr/local DESTDIR=

VERSION	= 0.1.0
PREFIX	?= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man
# What the programs' users read besides the pages: the jq module,
# notify-send's templates, the maps (found by name: order-import --map excel-ru), the daily job's
# crontab.  Compiled into lib/datadir.o; a program looks first in
# $ORDERKIT_DATADIR and in ../share/orderkit beside its own directory, so
# that a tree installed with DESTDIR or moved finds its files.
DATADIR	= $(PREFIX)/share/orderkit
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions
# Installed with their @BINDIR@ and @DATADIR@ replaced.
SCRIPTS	= orderkit-daily
# Installed names: PROGRAM_PREFIX=ok- gives ok-notify-send, beside the
# desktop notify-send of Debian's libnotify-bin.
PROGRAM_PREFIX =

SHELL	= /bin/bash

# O is the build directory: "." for the normal build, build/check for make
# check, build/asan for make asan.
O	= .
CC	?= cc
CFLAGS	?= -O2 -g
# -Werror only where we choose the compiler (make check, make asan, CI): a
# user's newer compiler may warn about more, and must not break make.
WERROR	=
WARN	= -std=c11 -Wall -Wextra $(WERROR)
PKG_CONFIG ?= pkg-config
# pkg-config module: Debian package, for the message when one is missing.
PKG_DEBS = jansson:libjansson-dev sqlite3:libsqlite3-dev libpq:libpq-dev \
	   libcurl:libcurl4-openssl-dev libcrypto:libssl-dev \
	   libxml-2.0:libxml2-dev cairo:libcairo2-dev \
	   fontconfig:libfontconfig-dev
# Libraries without a .pc: name, a header it installs, Debian package.
HDR_DEBS = libcsv:csv.h:libcsv-dev libunistring:unistr.h:libunistring-dev \
	   libzint:zint.h:libzint-dev
PKGS	= $(foreach m,$(PKG_DEBS),$(firstword $(subst :, ,$(m))))
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -DORDERKIT_VERSION='"$(VERSION)"' -Ilib $(PKG_CFLAGS)

# Libraries per program, named: every program reads JSON; those that read
# CSV link libcsv, those that keep state in the store SQLite and libpq,
# those on the network libcurl and libcrypto, the carriers' programs also
# libxml2 and libunistring (Russian Post's SOAP, transliteration).
CSVPROGS   = order-import order-validate pay-reconcile ship-book stock-load \
	     track-poll label-gen return-open
STOREPROGS = order-reserve pay-reconcile ship-book stock-levels stock-load \
	     track-poll notify-send return-open
NETPROGS   = ship-book track-poll notify-send
CARRIERPROGS = ship-book track-poll
# Those that draw labels: cairo, fontconfig and zint (no .pc).
LABELPROGS = label-gen
CSV_LIBS   = -lcsv
STORE_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 libpq 2>/dev/null)
NET_LIBS   := $(shell $(PKG_CONFIG) --libs libcurl libcrypto 2>/dev/null)
CARRIER_LIBS := $(shell $(PKG_CONFIG) --libs libxml-2.0 2>/dev/null) \
	      -lunistring
# fontconfig's .pc names freetype, which label-gen does not call itself.
LABEL_LIBS := $(filter-out -lfreetype,$(shell $(PKG_CONFIG) --libs cairo \
	      fontconfig 2>/dev/null)) -lzint
JSON_LIBS  := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
LDLIBS	= $(JSON_LIBS) -pthread

PROGS	= $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
# Public headers are flat in lib/; a subsystem's files are in lib/NAME/.
LIBSRC	= $(wildcard lib/*.c lib/*/*.c)
LIBOBJ	= $(LIBSRC:%.c=$(O)/%.o)
HDR	= $(wildcard lib/*.h lib/*/*.h)
UNITS	= $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*_test.c))
MANS	= $(wildcard man/*.[0-9])
LIB	= $(O)/lib/liborderkit.a
FUZZERS	= $(patsubst tests/fuzz/%_fuzz.c,%,$(wildcard tests/fuzz/*_fuzz.c))

ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer \
	    -fsanitize=address,undefined -fno-sanitize-recover=all

# make fuzz: clang's libFuzzer, the library instrumented for coverage.
FUZZ_SECONDS ?= 60
FUZZ_CC	= clang
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer \
	    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
# The harnesses' main(): replay.c, which runs them on files for make
# check; libFuzzer's under make fuzz (FUZZ_DRIVER empty).
FUZZ_DRIVER = $(O)/tests/fuzz/replay.o
# A whole-program harness calls the program's main() renamed, and turns
# its exit() into a return (tests/fuzz/program.c).
FUZZ_WRAP = -Wl,--wrap=exit,--wrap=err,--wrap=errx,--wrap=verr \
	    -Wl,--wrap=verrx,--wrap=fclose

all: $(PROGS:%=$(O)/bin/%)

# Before the first compile: each library the build needs, or a message
# naming the Debian package that brings it.
libs:
	@status=0; \
	if ! command -v $(PKG_CONFIG) >/dev/null; then \
	    echo "make: $(PKG_CONFIG) not found: apt-get install pkg-config" \
	        "(or run scripts/install-deps.sh)" >&2; exit 1; fi; \
	for m in $(PKG_DEBS); do \
	    $(PKG_CONFIG) --exists "$${m%%:*}" && continue; \
	    echo "make: $${m%%:*} not found: apt-get install $${m#*:}" \
	        "(or run scripts/install-deps.sh)" >&2; status=1; done; \
	for h in $(HDR_DEBS); do \
	    p=$${h#*:}; \
	    echo "#include <$${p%%:*}>" | \
	        $(CC) $(CPPFLAGS) -E -x c - >/dev/null 2>&1 && continue; \
	    echo "make: $${h%%:*} not found: apt-get install $${p#*:}" \
	        "(or run scripts/install-deps.sh)" >&2; status=1; done; \
	exit $$status

$(O)/lib/datadir.o: CPPFLAGS += -DORDERKIT_DATADIR='"$(DATADIR)"'
# order-import's built-in format orderkit is the map file, .incbin'd.
$(O)/lib/import/import.o: scripts/maps/orderkit.map

$(O)/lib/%.o: lib/%.c $(HDR) | libs
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(CSVPROGS:%=$(O)/bin/%): LDLIBS += $(CSV_LIBS)
$(STOREPROGS:%=$(O)/bin/%): LDLIBS += $(STORE_LIBS)
$(NETPROGS:%=$(O)/bin/%): LDLIBS += $(NET_LIBS)
$(CARRIERPROGS:%=$(O)/bin/%): LDLIBS += $(CARRIER_LIBS)
# notify-send's default templates: where make install puts them, and the
# checkout's, for a program run from any build directory.
$(O)/bin/notify-send: private CPPFLAGS += -DORDERKIT_DATADIR='"$(DATADIR)"' \
    -DORDERKIT_SRCDIR='"$(CURDIR)"'
$(LABELPROGS:%=$(O)/bin/%): LDLIBS += $(LABEL_LIBS)
$(O)/tests/unit/%: LDLIBS += $(CSV_LIBS) $(STORE_LIBS) $(NET_LIBS) \
    $(CARRIER_LIBS) \
    $(LABEL_LIBS)
$(O)/tests/fuzz/%_fuzz: LDLIBS += $(CSV_LIBS) $(STORE_LIBS) $(NET_LIBS) \
    $(CARRIER_LIBS) \
    $(LABEL_LIBS)

$(O)/bin/%: cmd/%.c $(LIB) $(HDR) | libs
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/unit/%: tests/unit/%.c $(LIB) $(HDR) $(wildcard tests/unit/*.h) \
    | libs
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/fuzz/%.o: tests/fuzz/%.c tests/fuzz/fuzz.h tests/fuzz/program.h \
    $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/tests/fuzz/cmd-%.o: cmd/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -Dmain=$(subst -,_,$*)_main \
	    -c -o $@ $<

$(O)/tests/fuzz/%_fuzz: $(O)/tests/fuzz/%_fuzz.o $(O)/tests/fuzz/fuzz.o \
    $(FUZZ_DRIVER) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS) \
	    $(if $(filter %/program.o,$^),$(FUZZ_WRAP))

$(O)/tests/fuzz/order_import_fuzz: $(O)/tests/fuzz/cmd-order-import.o \
    $(O)/tests/fuzz/program.o
$(O)/tests/fuzz/order_validate_fuzz: $(O)/tests/fuzz/cmd-order-validate.o \
    $(O)/tests/fuzz/program.o

deps:
	@scripts/install-deps.sh

# The README's test command: installs what is missing, builds (in a tree of
# its own, so that it does not undo a plain make's) with -Werror, runs all.
CHECK_O	= build/check
check: deps
	@$(MAKE) --no-print-directory O=$(CHECK_O) WERROR=-Werror test

test: all $(UNITS:%=$(O)/tests/unit/%) $(FUZZERS:%=$(O)/tests/fuzz/%_fuzz)
	@for t in $(UNITS); do $(O)/tests/unit/$$t || exit 1; done
	@for f in $(FUZZERS); do set --; \
	    for d in tests/fuzz/corpus/$$f tests/fuzz/regressions/$$f; do \
	    if [ -d $$d ]; then set -- "$$@" $$d; fi; done; \
	    $(O)/tests/fuzz/$${f}_fuzz "$$@" || exit 1; done
	@set -o pipefail; ORDERKIT_BIN=$(abspath $(O)/bin) bats --tap tests | \
	    awk '{ print; fflush() } \
	    /^ok .* # skip/ { s++; next } /^ok / { p++ } /^not ok / { f++ } \
	    END { printf "bats: %d passed, %d failed, %d skipped\n", p, f, s }'

ASAN_O	= build/asan
asan: deps
	@$(MAKE) --no-print-directory O=$(ASAN_O) WERROR=-Werror \
	    CFLAGS='$(ASAN_FLAGS)' LDFLAGS='-fsanitize=address,undefined' test

# make tsan: ThreadSanitizer (issue 19's workers), the same tests.  Its
# own tree: TSan and ASan do not mix.
TSAN_O	= build/tsan
TSAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=thread
tsan: deps
	@$(MAKE) --no-print-directory O=$(TSAN_O) WERROR=-Werror \
	    CFLAGS='$(TSAN_FLAGS)' LDFLAGS='-fsanitize=thread' test

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	tests/bench/run

# Build the harnesses with libFuzzer into build/fuzz and run each for
# FUZZ_SECONDS on its corpus (tests/fuzz/README.md).
fuzz: deps
	@$(MAKE) --no-print-directory O=build/fuzz CC=$(FUZZ_CC) \
	    CFLAGS='$(FUZZ_FLAGS)' LDFLAGS='-fsanitize=fuzzer,address,undefined' \
	    FUZZ_DRIVER= $(FUZZERS:%=build/fuzz/tests/fuzz/%_fuzz)
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run build/fuzz $(FUZZERS)

fuzz-ci:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=20

lint:
	mandoc -Tlint -Wwarning $(MANS)
	shellcheck scripts/*.sh scripts/orderkit-daily scripts/completion/*.bash \
	    tests/test_helper/*.bash tests/bench/run \
	    tests/bench/*.sh tests/fuzz/run tests/fuzz/seeds
	if command -v cppcheck >/dev/null; then \
	    cppcheck -q --error-exitcode=1 --enable=warning,portability \
	    --inline-suppr --include=/usr/include/jansson.h \
	    $(CPPFLAGS) lib cmd; fi

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS); do install -m 755 $(O)/bin/$$p \
	    $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)$$p; done
	for m in $(filter %.1,$(MANS)); do install -m 644 $$m \
	    $(DESTDIR)$(MANDIR)/man1/$(PROGRAM_PREFIX)$${m#man/}; done
	for m in $(filter %.5,$(MANS)); do \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in $(filter %.7,$(MANS)); do \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	mkdir -p $(DESTDIR)$(DATADIR)/maps $(DESTDIR)$(COMPLETIONDIR)
	install -m 644 scripts/orderkit.jq $(DESTDIR)$(DATADIR)/orderkit.jq
	for m in scripts/maps/*.map; do \
	    install -m 644 $$m $(DESTDIR)$(DATADIR)/maps/; done
	for s in $(SCRIPTS); do \
	    sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
	    scripts/$$s >$(DESTDIR)$(BINDIR)/$$s && \
	    chmod 755 $(DESTDIR)$(BINDIR)/$$s || exit 1; done
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' \
	    scripts/crontab.example >$(DESTDIR)$(DATADIR)/crontab.example
	for p in $(PROGS) $(SCRIPTS); do \
	    install -m 644 scripts/completion/orderkit.bash \
	    $(DESTDIR)$(COMPLETIONDIR)/$(PROGRAM_PREFIX)$$p; done
	mkdir -p $(DESTDIR)$(DATADIR)/templates
	install -m 644 templates/* $(DESTDIR)$(DATADIR)/templates/

uninstall:
	for p in $(PROGS); do \
	    rm -f $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)$$p; done
	for m in $(notdir $(filter %.1,$(MANS))); do \
	    rm -f $(DESTDIR)$(MANDIR)/man1/$(PROGRAM_PREFIX)$$m; done
	for m in $(notdir $(filter %.5,$(MANS))); do \
	    rm -f $(DESTDIR)$(MANDIR)/man5/$$m; done
	for m in $(notdir $(filter %.7,$(MANS))); do \
	    rm -f $(DESTDIR)$(MANDIR)/man7/$$m; done
	rm -f $(DESTDIR)$(DATADIR)/orderkit.jq \
	    $(DESTDIR)$(DATADIR)/crontab.example
	rm -rf $(DESTDIR)$(DATADIR)/templates
	for m in $(notdir $(wildcard scripts/maps/*.map)); do \
	    rm -f $(DESTDIR)$(DATADIR)/maps/$$m; done
	for s in $(SCRIPTS); do rm -f $(DESTDIR)$(BINDIR)/$$s; done
	for p in $(PROGS) $(SCRIPTS); do \
	    rm -f $(DESTDIR)$(COMPLETIONDIR)/$(PROGRAM_PREFIX)$$p; done
	rmdir $(DESTDIR)$(DATADIR)/maps $(DESTDIR)$(DATADIR) 2>/dev/null || :

clean:
	rm -rf bin lib/*.o lib/*/*.o lib/*.a tests/unit/*_test tests/fuzz/*.o \
	    tests/fuzz/*_fuzz build

.PHONY: all libs deps check test asan tsan demo bench fuzz fuzz-ci lint install \
	uninstall clean
.SECONDARY: $(LIBOBJ) $(FUZZERS:%=$(O)/tests/fuzz/%_fuzz.o) \
	$(O)/tests/fuzz/fuzz.o $(O)/tests/fuzz/replay.o
