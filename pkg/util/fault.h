/*
 * fault: test-only crash and hold points. FAULT_POINT("after_claim")
 * compiles to nothing unless the build defines VC_FAULT_HOOKS (make test's
 * builds do, the release build `make all` does not). In a hooked build:
 *  - VCOURIER_FAULT=<name>[@<n>] makes the process kill itself with
 *    SIGKILL the n-th time (default 1st) it reaches that point: the crash
 *    tests use it to stop the job at exact instants;
 *  - VCOURIER_HOLD=<name> with VCOURIER_HOLD_DIR=<dir> makes it stop there
 *    the first time: it creates <dir>/<name>.held and goes on once
 *    <dir>/<name>.release exists (after 300 s at most), so that a test
 *    acts at an exact instant and releases it explicitly, never by sleeping.
 */
#ifndef VC_FAULT_H
#define VC_FAULT_H

#ifdef VC_FAULT_HOOKS
void fault_point(const char *name);
#define FAULT_POINT(name) fault_point(name)
#else
#define FAULT_POINT(name) ((void)0)
#endif

#endif
