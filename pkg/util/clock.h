/*
 * clock: the monotonic clock every stage timer, budget and deadline uses
 * (never the wall clock, which an operator or NTP may step).
 */
#ifndef VC_CLOCK_H
#define VC_CLOCK_H

#include <stdint.h>

/* Seconds on CLOCK_MONOTONIC. */
double vc_mono_s(void);
/* Nanoseconds on CLOCK_MONOTONIC. */
int64_t vc_mono_ns(void);
/* Milliseconds on CLOCK_MONOTONIC. */
int64_t vc_mono_ms(void);
/* Milliseconds since the Unix epoch (wall clock: for records, not for timing). */
int64_t vc_wall_ms(void);

#endif
