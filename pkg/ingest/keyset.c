/* keyset: string -> long map for import keys and references (keyset.h). */
#include "ingest/keyset.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void keyset_init(struct keyset *ks)
{
	ks->nslots = 1024;
	ks->used = 0;
	ks->slots = xcalloc(ks->nslots, sizeof(*ks->slots));
	strbuf_init(&ks->arena, 4096);
}

void keyset_release(struct keyset *ks)
{
	free(ks->slots);
	ks->slots = NULL;
	strbuf_release(&ks->arena);
}

static struct keyset_slot *find(struct keyset_slot *slots, size_t nslots, const char *arena,
				uint64_t hash, const char *key)
{
	size_t i = (size_t)hash & (nslots - 1);
	for (;; i = (i + 1) & (nslots - 1)) {
		struct keyset_slot *s = &slots[i];
		if (!s->off || (s->hash == hash && key && !strcmp(arena + s->off - 1, key)))
			return s;
	}
}

static void grow(struct keyset *ks)
{
	size_t i, n = ks->nslots * 2;
	struct keyset_slot *slots = xcalloc(n, sizeof(*slots));
	for (i = 0; i < ks->nslots; i++) {
		struct keyset_slot *s = &ks->slots[i];
		if (s->off)
			*find(slots, n, NULL, s->hash, NULL) = *s;
	}
	free(ks->slots);
	ks->slots = slots;
	ks->nslots = n;
}

long keyset_get(const struct keyset *ks, const char *key)
{
	return find(ks->slots, ks->nslots, ks->arena.buf, fnv1a(key), key)->value;
}

long keyset_add(struct keyset *ks, const char *key, long value)
{
	uint64_t h = fnv1a(key);
	struct keyset_slot *s = find(ks->slots, ks->nslots, ks->arena.buf, h, key);
	if (s->off)
		return s->value;
	s->hash = h;
	s->off = ks->arena.len + 1;
	s->value = value;
	strbuf_add(&ks->arena, key, strlen(key) + 1);
	if (++ks->used * 2 > ks->nslots)
		grow(ks);
	return 0;
}
