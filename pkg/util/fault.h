/*
 * fault: test-only crash and hold points. FAULT_POINT("after_claim")
 * compiles to nothing unless the build defines VC_FAULT_HOOKS (make test's
 * builds do, the release build `make all` does not). In a hooked build:
 * - VCOURIER_FAULT=<name>[@<n>] makes the process kill itself with SIGKILL
 *   the n-th time (default 1st) it reaches that point: the crash tests use
 *   it to stop the job at exact instants.
 * - VCOURIER_HOLD=<name>[@<n>] with VCOURIER_HOLD_DIR=<dir> makes the n-th
 *   pass stop there: the process creates the FIFO <dir>/<name>.release,
 *   writes its pid to <dir>/<name>.held, and blocks opening the FIFO until
 *   the test opens it for writing (`: > <dir>/<name>.release`). Tests use
 *   it to fail the database over while a hub is in a known state, without
 *   sleeping: they poll for .held, act, then release.
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
