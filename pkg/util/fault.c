/* fault: SIGKILL or hold at named points in test builds (see fault.h). */
#include "util/fault.h"

#ifdef VC_FAULT_HOOKS
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when spec is "<name>" or "<name>@<n>" and this is the n-th pass (counted in *hits). */
static int spec_matches(const char *spec, const char *name, int *hits)
{
	size_t n = strlen(name);
	int want = 1;
	if (!spec || strncmp(spec, name, n) || (spec[n] && spec[n] != '@'))
		return 0;
	if (spec[n] == '@')
		want = atoi(spec + n + 1);
	return ++*hits == want;
}

static void hold(const char *name)
{
	const char *dir = getenv("VCOURIER_HOLD_DIR");
	char fifo[4096], held[4096], tmp[4096];
	FILE *f;
	int fd;
	if (!dir)
		return;
	snprintf(fifo, sizeof(fifo), "%s/%s.release", dir, name);
	snprintf(held, sizeof(held), "%s/%s.held", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/%s.held.tmp", dir, name);
	if (mkfifo(fifo, 0600) < 0)
		return;
	/* Written then renamed: the test never reads a half-written pid. */
	if (!(f = fopen(tmp, "w")))
		return;
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	rename(tmp, held);
	fd = open(fifo, O_RDONLY);
	if (fd >= 0)
		close(fd);
	unlink(fifo);
}

void fault_point(const char *name)
{
	static int kill_hits, hold_hits;
	if (spec_matches(getenv("VCOURIER_FAULT"), name, &kill_hits))
		kill(getpid(), SIGKILL);
	if (spec_matches(getenv("VCOURIER_HOLD"), name, &hold_hits))
		hold(name);
}
#else
/* Keep the translation unit non-empty in release builds (ISO C). */
typedef int fault_hooks_compiled_out;
#endif
