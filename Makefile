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
PKGS     = libpq libcurl zlib jansson libcrypto libqrencode
DEB_PKGS = build-essential pkg-config libpq-dev libcurl4-openssl-dev zlib1g-dev \
           libjansson-dev libcsv-dev libssl-dev libcmocka-dev postgresql \
           postgresql-client python3 clang libclang-rt-dev openssl ca-certificates curl \
           iproute2 time libqrencode-dev chromium zbar-tools poppler-utils \
           postgresql-15-auto-failover \
           postgresql-15-postgis-3 postgresql-15-pgrouting osm2pgrouting osmium-tool \
           prometheus prometheus-node-exporter bsdutils

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -Ipkg -I$(BUILD) $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lcsv -lm -lpthread
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

.PHONY: all test check unit integration demo deps bench bench-route fuzz clean
all: $(BUILD)/vcourier $(UNIT_BIN) $(TOOL_BIN)

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

clean:
	rm -rf build build-test build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
