/*
 * keyset: string -> long map for import keys and references (keyset.h).
 *
 * The keys come from the file being imported, so an attacker chooses them:
 * with an unkeyed hash (FNV-1a, as before) refs crafted to share their low
 * bits all land on one probe chain and an import turns quadratic. The hash
 * is SipHash-2-4 under a random key drawn per set, and a probe chain
 * longer than KEYSET_MAX_PROBE (which a keyed hash makes all but
 * impossible) doubles the table under a fresh key, so the work per key
 * stays bounded whatever the input.
 */
#include "ingest/keyset.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define KEYSET_MAX_PROBE 64

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                     \
	do {                                                                         \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);            \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                               \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                               \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);            \
	} while (0)

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;
	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* SipHash-2-4 (Aumasson and Bernstein) of a NUL-terminated key. */
uint64_t keyset_siphash(const uint64_t k[2], const char *s, size_t len)
{
	const unsigned char *in = (const unsigned char *)s;
	uint64_t v0 = 0x736f6d6570736575ULL ^ k[0], v1 = 0x646f72616e646f6dULL ^ k[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ k[0], v3 = 0x7465646279746573ULL ^ k[1];
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, tail = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (m = 0; tail > 0; tail--)
		m |= (uint64_t)in[i + tail - 1] << (8 * (tail - 1));
	b |= m;
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static void new_key(struct keyset *ks)
{
	if (getrandom(ks->key, sizeof(ks->key), GRND_NONBLOCK) != (ssize_t)sizeof(ks->key)) {
		/* No entropy yet (early boot): still unpredictable enough from
		 * outside, and only the speed of a hostile import is at stake. */
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ks->key[0] ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
		ks->key[1] ^= (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)ks;
	}
}

static uint64_t hash(const struct keyset *ks, const char *key)
{
	return keyset_siphash(ks->key, key, strlen(key));
}

void keyset_init(struct keyset *ks)
{
	memset(ks, 0, sizeof(*ks));
	ks->nslots = 1024;
	ks->slots = xcalloc(ks->nslots, sizeof(*ks->slots));
	strbuf_init(&ks->arena, 4096);
	new_key(ks);
}

void keyset_release(struct keyset *ks)
{
	free(ks->slots);
	ks->slots = NULL;
	strbuf_release(&ks->arena);
}

/* The slot holding key, or the empty slot where it would go; *probes counts. */
static struct keyset_slot *find(struct keyset_slot *slots, size_t nslots, const char *arena,
				uint64_t h, const char *key, size_t *probes)
{
	size_t i = (size_t)h & (nslots - 1);
	for (;; i = (i + 1) & (nslots - 1)) {
		struct keyset_slot *s = &slots[i];
		++*probes;
		if (!s->off || (s->hash == h && key && !strcmp(arena + s->off - 1, key)))
			return s;
	}
}

/* Rebuild with n slots (and, when rekey, a fresh key): hashes recomputed. */
static void rebuild(struct keyset *ks, size_t n, int rekey)
{
	struct keyset_slot *slots = xcalloc(n, sizeof(*slots));
	size_t i, probes = 0;
	if (rekey)
		new_key(ks);
	for (i = 0; i < ks->nslots; i++) {
		struct keyset_slot s = ks->slots[i];
		if (!s.off)
			continue;
		if (rekey)
			s.hash = hash(ks, ks->arena.buf + s.off - 1);
		*find(slots, n, NULL, s.hash, NULL, &probes) = s;
	}
	free(ks->slots);
	ks->slots = slots;
	ks->nslots = n;
}

long keyset_get(const struct keyset *ks, const char *key)
{
	size_t probes = 0;
	return find(ks->slots, ks->nslots, ks->arena.buf, hash(ks, key), key, &probes)->value;
}

long keyset_add(struct keyset *ks, const char *key, long value)
{
	uint64_t h = hash(ks, key);
	size_t probes = 0;
	struct keyset_slot *s = find(ks->slots, ks->nslots, ks->arena.buf, h, key, &probes);
	ks->probes += probes;
	if (s->off)
		return s->value;
	s->hash = h;
	s->off = ks->arena.len + 1;
	s->value = value;
	strbuf_add(&ks->arena, key, strlen(key) + 1);
	if (++ks->used * 2 > ks->nslots)
		rebuild(ks, ks->nslots * 2, 0);
	else if (probes > KEYSET_MAX_PROBE)
		rebuild(ks, ks->nslots * 2, 1);
	return 0;
}
