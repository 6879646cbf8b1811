# orderkit: small programs for an online shop's orders, one per step.
# make | make check | make asan | make demo | make bench | make lint
# make install PREFIX=/usr/local DESTDIR=

VERSION	= 0.1.0
PREFIX	?= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man

SHELL	= /bin/bash

# O is the build directory: "." for the normal build, build/asan for make asan.
O	= .
CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -std=c11 -Wall -Wextra -Werror
PKGS	= jansson sqlite3 libpq
# Only the programs on the network link these (libunistring has no .pc).
NETPKGS	= libcurl libcrypto libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(NETPKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
NET_LIBS   := $(shell pkg-config --libs $(NETPKGS) 2>/dev/null) -lunistring
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -DORDERKIT_VERSION='"$(VERSION)"' -Ilib $(PKG_CFLAGS)
# Each program links only the libraries it calls (libcsv has no .pc).
LDLIBS	= -Wl,--as-needed $(PKG_LIBS) -lcsv -pthread

PROGS	= $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
NETPROGS = ship-book track-poll
# Public headers are flat in lib/; a subsystem's files are in lib/NAME/.
LIBSRC	= $(wildcard lib/*.c lib/*/*.c)
LIBOBJ	= $(LIBSRC:%.c=$(O)/%.o)
HDR	= $(wildcard lib/*.h lib/*/*.h)
UNITS	= $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*_test.c))
MANS	= $(wildcard man/*.[0-9])
LIB	= $(O)/lib/liborderkit.a

ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer \
	    -fsanitize=address,undefined -fno-sanitize-recover=all

all: $(PROGS:%=$(O)/bin/%)

$(O)/lib/%.o: lib/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(NETPROGS:%=$(O)/bin/%): LDLIBS += $(NET_LIBS)
$(O)/tests/unit/%: LDLIBS += $(NET_LIBS)

$(O)/bin/%: cmd/%.c $(LIB) $(HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/unit/%: tests/unit/%.c $(LIB) $(HDR) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

deps:
	@scripts/install-deps.sh

# The README's test command: installs what is missing, builds, runs all.
check: deps
	@$(MAKE) --no-print-directory test

test: all $(UNITS:%=$(O)/tests/unit/%)
	@for t in $(UNITS); do $(O)/tests/unit/$$t || exit 1; done
	@set -o pipefail; ORDERKIT_BIN=$(abspath $(O)/bin) bats --tap tests | \
	    awk '{ print; fflush() } \
	    /^ok .* # skip/ { s++; next } /^ok / { p++ } /^not ok / { f++ } \
	    END { printf "bats: %d passed, %d failed, %d skipped\n", p, f, s }'

asan: deps
	@$(MAKE) --no-print-directory O=build/asan \
	    CFLAGS='$(ASAN_FLAGS)' LDFLAGS='-fsanitize=address,undefined' test

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all
	tests/bench/run

lint:
	mandoc -Tlint -Wwarning $(MANS)
	shellcheck scripts/*.sh tests/test_helper/*.bash tests/bench/run \
	    tests/bench/*.sh
	if command -v cppcheck >/dev/null; then \
	    cppcheck -q --error-exitcode=1 --enable=warning,portability \
	    --inline-suppr --include=/usr/include/jansson.h \
	    $(CPPFLAGS) lib cmd; fi

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS); do \
	    install -m 755 $(O)/bin/$$p $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(filter %.1,$(MANS)); do \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(filter %.5,$(MANS)); do \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man5/; done
	for m in $(filter %.7,$(MANS)); do \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(filter %.1,$(MANS))); do \
	    rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	for m in $(notdir $(filter %.5,$(MANS))); do \
	    rm -f $(DESTDIR)$(MANDIR)/man5/$$m; done
	for m in $(notdir $(filter %.7,$(MANS))); do \
	    rm -f $(DESTDIR)$(MANDIR)/man7/$$m; done

clean:
	rm -rf bin lib/*.o lib/*/*.o lib/*.a tests/unit/*_test build

.PHONY: all deps check test asan demo bench lint install uninstall clean
.SECONDARY: $(LIBOBJ)
