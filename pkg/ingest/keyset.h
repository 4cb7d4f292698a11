/*
 * keyset: a string -> nonzero long map. Import uses it for the first line
 * each key (code, order_ref) was seen on, so that a key repeated within a
 * file is reported against its first line, and for code -> id of the hubs
 * or points rows refer to. Open addressing over one string arena: a
 * million keys cost two allocations that grow, not a million. Keys come
 * from the imported file: the hash is keyed (SipHash-2-4, a random key
 * per set) and probe chains are bounded, so crafted keys cannot make an
 * import quadratic.
 */
#ifndef VC_INGEST_KEYSET_H
#define VC_INGEST_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct keyset_slot {
	uint64_t hash;
	size_t off;  /* key offset in the arena + 1; 0: empty slot */
	long value;
};

struct keyset {
	struct keyset_slot *slots;
	size_t nslots, used;
	struct strbuf arena;
	uint64_t key[2];   /* SipHash key */
	size_t probes;     /* slots looked at by keyset_add, for tests */
};

void keyset_init(struct keyset *ks);
void keyset_release(struct keyset *ks);
/* Add key with a nonzero value: returns 0, or the value already there. */
long keyset_add(struct keyset *ks, const char *key, long value);
/* The value of key, or 0. */
long keyset_get(const struct keyset *ks, const char *key);
/* SipHash-2-4 of len bytes under key k (exposed for its test vector). */
uint64_t keyset_siphash(const uint64_t k[2], const char *s, size_t len);

#endif
