/* fault: SIGKILL or hold at named points in test builds (see fault.h). */
#include "util/fault.h"

#ifdef VC_FAULT_HOOKS
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bounded so that a broken test cannot hang CI; long enough for a database
 * failover under load (tests/slow/test_failover.sh holds a job through one). */
#define HOLD_MAX_S 300

static void hold(const char *name)
{
	static int held;
	const char *want = getenv("VCOURIER_HOLD"), *dir = getenv("VCOURIER_HOLD_DIR");
	char path[4096];
	struct timespec tick = { 0, 10 * 1000000L };
	int fd, i;

	if (held || !want || !dir || strcmp(want, name))
		return;
	held = 1;
	snprintf(path, sizeof(path), "%s/%s.held", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		dprintf(fd, "%d\n", (int)getpid());
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/%s.release", dir, name);
	/* polls an explicit release, bounded so that a broken test cannot hang CI */
	for (i = 0; i < HOLD_MAX_S * 100 && access(path, F_OK) != 0; i++)
		nanosleep(&tick, NULL);
}

void fault_point(const char *name)
{
	static int hits;
	const char *spec = getenv("VCOURIER_FAULT");
	size_t n = strlen(name);
	int want = 1;

	hold(name);
	if (!spec || strncmp(spec, name, n) || (spec[n] && spec[n] != '@'))
		return;
	if (spec[n] == '@')
		want = atoi(spec + n + 1);
	/* atomic: the planner may reach a point from several threads */
	if (__atomic_add_fetch(&hits, 1, __ATOMIC_SEQ_CST) == want)
		kill(getpid(), SIGKILL);
}
#else
/* Keep the translation unit non-empty in release builds (ISO C). */
typedef int fault_hooks_compiled_out;
#endif
