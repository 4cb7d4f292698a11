/* Unit tests: crash points fire only in hooked builds, only at their name and count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/fault.h"

/* Run FAULT_POINT(name) `times` times in a child with VCOURIER_FAULT=spec. */
static int child_status(const char *spec, int times)
{
	int status = 0;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int i;
		setenv("VCOURIER_FAULT", spec, 1);
		for (i = 0; i < times; i++)
			FAULT_POINT("after_claim");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void test_fault_point(void **state)
{
	int st;
	(void)state;
	st = child_status("after_plan", 3);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = child_status("after_claim@5", 3);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = child_status("after_claim@2", 3);
#ifdef VC_FAULT_HOOKS
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
#else
	/* Release builds carry no crash points at all. */
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
