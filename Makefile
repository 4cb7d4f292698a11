# vcourier — build, test, bench.
#
# Layout: pkg/<area>/*.c  -> $(BUILD)/libvcourier.a   (library code, no main)
#         cmd/*.c         -> $(BUILD)/vcourier        (one file per subcommand)
#         tests/unit/test_*.c -> $(BUILD)/tests/test_* (cmocka, pure code)
#         tests/integration/test_*.sh                  (real PostgreSQL + HTTP)
# New .c files are picked up by wildcard: adding a module needs no edit here.

CC      ?= cc
BUILD   ?= build
SAN     ?= 0
# FAULT=1 compiles in the test-only crash points (pkg/util/fault.h).
FAULT   ?= 0
PKGS     = libpq libcurl zlib jansson libcrypto libqrencode cbc
DEB_PKGS = build-essential pkg-config libpq-dev libcurl4-openssl-dev zlib1g-dev \
           libjansson-dev libssl-dev libcmocka-dev postgresql \
           postgresql-client python3 clang libclang-rt-dev openssl ca-certificates curl \
           iproute2 time libqrencode-dev chromium zbar-tools poppler-utils fonts-droid-fallback \
           postgresql-15-auto-failover \
           postgresql-15-postgis-3 postgresql-15-pgrouting osm2pgrouting osmium-tool \
           mandoc man-db systemd dpkg-dev bash-completion adduser coinor-libcbc-dev \
           prometheus prometheus-node-exporter bsdutils

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -Ipkg -I$(BUILD) $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lm -lpthread
ifeq ($(FAULT),1)
CFLAGS  += -DVC_FAULT_HOOKS
endif
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC   := $(sort $(wildcard pkg/*/*.c))
CMD_SRC   := $(sort $(wildcard cmd/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRC  := $(sort $(wildcard tools/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/schema_embed.o
CMD_OBJ   := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN  := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
SCHEMA    := $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))

# Objects depend on the flags they were built with, so that switching
# SAN/FAULT in one build directory rebuilds instead of mixing objects.
FLAGS_FILE := $(BUILD)/.flags
$(shell mkdir -p $(BUILD) && { echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $(FLAGS_FILE) || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $(FLAGS_FILE); })

# The version: a vX.Y.Z tag `git describe` finds in a git checkout, else
# the VERSION file; the commit is shown by `vcourier --version` only.
# vc_build_version.h is rewritten only when they change (as .flags above).
VERSION := $(or $(shell git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null | sed 's/^v//'),$(shell cat VERSION))
COMMIT  := $(shell git rev-parse --short=12 HEAD 2>/dev/null)$(shell git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet HEAD 2>/dev/null && echo -dirty)
VERSION_H := $(BUILD)/vc_build_version.h
$(shell printf '#define VC_VERSION "%s"\n#define VC_COMMIT "%s"\n' '$(VERSION)' '$(COMMIT)' | cmp -s - $(VERSION_H) || printf '#define VC_VERSION "%s"\n#define VC_COMMIT "%s"\n' '$(VERSION)' '$(COMMIT)' > $(VERSION_H))

.PHONY: all test check unit integration demo deps bench bench-route fuzz clean \
	install uninstall man deb version-header
all: $(BUILD)/vcourier $(UNIT_BIN) $(TOOL_BIN) man

$(BUILD)/%.o: %.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# Migrations are compiled into the binary so that a cron job never depends
# on the working directory it was started from.
$(BUILD)/schema_embed.c: $(SCHEMA) tools/embed_schema.sh
	@mkdir -p $(dir $@)
	sh tools/embed_schema.sh $(SCHEMA) > $@

$(BUILD)/schema_embed.o: $(BUILD)/schema_embed.c $(FLAGS_FILE)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libvcourier.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/vcourier: $(CMD_OBJ) $(BUILD)/libvcourier.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libvcourier.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libvcourier.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvcourier.a $(LDLIBS) -lcmocka

$(BUILD)/tools/%: tools/%.c $(BUILD)/libvcourier.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvcourier.a $(LDLIBS)

# `make test`: everything twice, optimised and under ASan+UBSan, against one
# PostgreSQL; both test builds carry the crash points (FAULT=1), the release
# build in build/ does not.
test: deps
	$(MAKE) all BUILD=build-test FAULT=1
	$(MAKE) all BUILD=build-san SAN=1 FAULT=1
	sh tests/run.sh build-test build-san

# `make check`: one quick pass, optimised test build only.
check:
	$(MAKE) all BUILD=build-test FAULT=1
	sh tests/run.sh build-test

deps:
	@sh tools/deps.sh $(DEB_PKGS)

demo: deps all
	sh tools/demo.sh $(BUILD)

bench: deps all
	sh bench/run.sh $(BUILD)

bench-route: all
	sh bench/route.sh $(BUILD)

fuzz:
	sh tests/fuzz/run.sh long

# Nothing to do: reading this Makefile writes $(BUILD)/vc_build_version.h,
# which tests/fuzz/run.sh needs for its own clang build of the library.
version-header: ;

clean:
	rm -rf build build-test build-san build-fuzz

# --- install, man pages, systemd units, Debian package (docs/operations.md) ---
# `make install [PREFIX=/usr/local] [DESTDIR=/stage]`. The config lives in
# /etc whatever the prefix (it is the path vcourier reads by default).
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/vcourier
DATADIR    ?= $(PREFIX)/share/vcourier
UNITDIR    ?= $(PREFIX)/lib/systemd/system
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
INSTALL    ?= install
DOCS       := README.md docs/operations.md $(sort $(wildcard docs/*.md))
UNITS      := vcourier-nightly.service vcourier-nightly.timer vcourier-deliver.service vcourier-deliver.timer
MAN_PAGES  := $(BUILD)/man/vcourier.1 $(BUILD)/man/vcourier.conf.5
UNIT_FILES := $(UNITS:%=$(BUILD)/systemd/%)
# Units and man pages name installed paths: regenerated when they change.
PATHS_FILE := $(BUILD)/.paths
$(shell echo '$(BINDIR) $(SYSCONFDIR) $(DOCDIR) $(DATADIR)' | cmp -s - $(PATHS_FILE) || echo '$(BINDIR) $(SYSCONFDIR) $(DOCDIR) $(DATADIR)' > $(PATHS_FILE))
SUBST      := sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
              -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g'

man: $(MAN_PAGES)

$(BUILD)/man/vcourier.1: man/vcourier.1 $(VERSION_H) $(PATHS_FILE)
	@mkdir -p $(dir $@)
	$(SUBST) man/vcourier.1 > $@

# The key list is generated from the typed config table (pkg/config/keys.c).
$(BUILD)/man/vcourier.conf.5: man/vcourier.conf.5.in $(BUILD)/tools/config_man $(VERSION_H) $(PATHS_FILE)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/config_man > $@.keys
	sed -e '/^@KEYS@$$/{r $@.keys' -e 'd;}' man/vcourier.conf.5.in | $(SUBST) > $@
	rm -f $@.keys

# Units name the installed binary and config folder; the sandbox settings
# are written once (systemd/sandbox.conf) and spliced into both services.
$(BUILD)/systemd/%.service: systemd/%.service.in systemd/sandbox.conf $(PATHS_FILE)
	@mkdir -p $(dir $@)
	sed -e '/^@SANDBOX@$$/{r systemd/sandbox.conf' -e 'd;}' $< | $(SUBST) > $@

$(BUILD)/systemd/%.timer: systemd/%.timer
	@mkdir -p $(dir $@)
	cp $< $@

install: $(BUILD)/vcourier $(MAN_PAGES) $(UNIT_FILES)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(COMPLETIONDIR)
	$(INSTALL) -m 0755 $(BUILD)/vcourier $(DESTDIR)$(BINDIR)/vcourier
	$(INSTALL) -m 0644 $(BUILD)/man/vcourier.1 $(DESTDIR)$(MANDIR)/man1/vcourier.1
	$(INSTALL) -m 0644 $(BUILD)/man/vcourier.conf.5 $(DESTDIR)$(MANDIR)/man5/vcourier.conf.5
	$(INSTALL) -m 0644 $(sort $(DOCS)) $(DESTDIR)$(DOCDIR)/
	$(INSTALL) -m 0644 contrib/vcourier.conf.example $(DESTDIR)$(DATADIR)/vcourier.conf.example
	$(INSTALL) -m 0644 $(UNIT_FILES) $(DESTDIR)$(UNITDIR)/
	$(INSTALL) -m 0644 contrib/vcourier.bash-completion $(DESTDIR)$(COMPLETIONDIR)/vcourier
	$(INSTALL) -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/vcourier
	$(INSTALL) -d -m 0700 $(DESTDIR)$(SYSCONFDIR)/vcourier/credentials
	@# the example config: 0600, and never over an existing one
	@if [ "$(INSTALL_CONFIG)" != 0 ] && [ ! -e $(DESTDIR)$(SYSCONFDIR)/vcourier/vcourier.conf ]; then \
		echo "$(INSTALL) -m 0600 contrib/vcourier.conf.example $(DESTDIR)$(SYSCONFDIR)/vcourier/vcourier.conf"; \
		$(INSTALL) -m 0600 contrib/vcourier.conf.example $(DESTDIR)$(SYSCONFDIR)/vcourier/vcourier.conf; \
	fi

# Leaves /etc/vcourier (the config and the credentials are the operator's).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vcourier $(DESTDIR)$(MANDIR)/man1/vcourier.1 \
		$(DESTDIR)$(MANDIR)/man5/vcourier.conf.5 $(DESTDIR)$(COMPLETIONDIR)/vcourier \
		$(DESTDIR)$(DATADIR)/vcourier.conf.example $(UNITS:%=$(DESTDIR)$(UNITDIR)/%) \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)))
	-rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR) 2>/dev/null

# `make deb`: $(BUILD)/vcourier_<version>_<arch>.deb from the release build,
# staged by `make install` (PREFIX=/usr, units in /lib/systemd/system).
deb: $(BUILD)/vcourier
	rm -rf $(BUILD)/deb-root
	$(MAKE) install BUILD=$(BUILD) DESTDIR=$(abspath $(BUILD))/deb-root PREFIX=/usr \
		UNITDIR=/lib/systemd/system INSTALL_CONFIG=0
	sh tools/mkdeb.sh $(BUILD)/deb-root '$(VERSION)' $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
