/*
 * splitmix: splitmix64 (Steele, Lea, Flood; Vigna's constants), the small
 * seedable generator behind delivery jitter and the planner's seeding, so
 * that one seed gives the same numbers on every machine and C library.
 */
#ifndef VC_SPLITMIX_H
#define VC_SPLITMIX_H

#include <stdint.h>

/* The next 64 bits; advances *state. */
uint64_t vc_splitmix64(uint64_t *state);
/* Uniform in [0, 1) with 53 bits; advances *state. */
double vc_splitmix_uniform(uint64_t *state);

#endif
