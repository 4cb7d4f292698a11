/* fault: SIGKILL at named points in test builds (see fault.h). */
#include "util/fault.h"

#ifdef VC_FAULT_HOOKS
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fault_point(const char *name)
{
	static int hits;
	const char *spec = getenv("VCOURIER_FAULT");
	size_t n = strlen(name);
	int want = 1;

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
