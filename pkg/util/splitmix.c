/* splitmix: splitmix64 and a uniform double from it (see splitmix.h). */
#include "util/splitmix.h"

uint64_t vc_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double vc_splitmix_uniform(uint64_t *state)
{
	return (double)(vc_splitmix64(state) >> 11) / 9007199254740992.0;
}
