/*
 * rng: xoshiro256** seeded through splitmix64 (Blackman & Vigna), so that
 * a seed gives the same sequence on every machine and C library.
 */
#include "route/route_internal.h"
#include "util/splitmix.h"

void rng_seed(struct rng *r, uint64_t seed)
{
	int i;
	for (i = 0; i < 4; i++)
		r->s[i] = vc_splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	/* multiply-shift (Lemire) without the rejection step: the bias is
	 * below 2^-32 and the result stays a pure function of the state */
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}
