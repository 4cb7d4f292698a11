/*
 * Unit tests: the import key set (issue 9 defect 12). Keys crafted to share
 * the low 16 bits of FNV-1a (the old, unkeyed hash) put every key on one
 * probe chain of the old table: 22,500 of them cost about 250 million
 * probes. With the keyed hash the probe count stays linear; it is counted,
 * not timed, so a loaded machine cannot flake the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ingest/keyset.h"

static uint64_t fnv_step(uint64_t h, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

#define NB 150

static void test_crafted_collisions_stay_linear(void **state)
{
	static char keys[NB * NB][24];
	char prefix[16], blocks[NB][5];
	struct keyset ks;
	uint64_t x;
	size_t nb = 0, i, j, n = 0;
	(void)state;

	/* A prefix whose FNV-1a state has low 16 bits 0... */
	for (x = 0;; x++) {
		snprintf(prefix, sizeof(prefix), "R%08llx", (unsigned long long)x);
		if (!(fnv_step(1469598103934665603ULL, prefix, strlen(prefix)) & 0xffff))
			break;
	}
	/* ...and 4-byte blocks that keep them 0 (the low bits of FNV-1a depend
	 * only on the low bits of its state). */
	for (x = 0; nb < NB; x++) {
		char b[5];
		uint64_t v = x;
		for (i = 0; i < 4; i++, v /= 62)
			b[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[v % 62];
		b[4] = '\0';
		if (!(fnv_step(0, b, 4) & 0xffff))
			memcpy(blocks[nb++], b, 5);
	}
	for (i = 0; i < NB; i++)
		for (j = 0; j < NB; j++, n++) {
			memcpy(keys[n], prefix, 9);
			memcpy(keys[n] + 9, blocks[i], 4);
			memcpy(keys[n] + 13, blocks[j], 5);
			assert_int_equal(fnv_step(1469598103934665603ULL, keys[n], 17) & 0xffff, 0);
		}

	keyset_init(&ks);
	for (i = 0; i < n; i++)
		assert_int_equal(keyset_add(&ks, keys[i], (long)i + 1), 0);
	/* The old table: about n * n / 2 = 253 million probes. */
	print_message("%zu keys, %zu probes\n", n, ks.probes);
	assert_true(ks.probes < 4 * n);
	for (i = 0; i < n; i++) {
		assert_int_equal(keyset_get(&ks, keys[i]), (long)i + 1);
		assert_int_equal(keyset_add(&ks, keys[i], 7), (long)i + 1); /* first wins */
	}
	assert_int_equal(keyset_get(&ks, "absent"), 0);
	keyset_release(&ks);
}

/* The reference vector of the SipHash paper (key 00..0f, message 00..0e). */
static void test_siphash_vector(void **state)
{
	uint64_t k[2] = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };
	char msg[15];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (char)i;
	assert_true(keyset_siphash(k, msg, 15) == 0xa129ca6149be45e5ULL);
}

/* Two sets hash under different keys (a crafted file works against none). */
static void test_keys_differ(void **state)
{
	struct keyset a, b;
	(void)state;
	keyset_init(&a);
	keyset_init(&b);
	assert_true(a.key[0] != b.key[0] || a.key[1] != b.key[1]);
	keyset_release(&a);
	keyset_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_vector),
		cmocka_unit_test(test_crafted_collisions_stay_linear),
		cmocka_unit_test(test_keys_differ),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
