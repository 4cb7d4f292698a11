/*
 * set_partition: the set partitioning of set_partition.h, solved by CBC
 * through its C interface, in a child process. The only file that knows
 * CBC.
 *
 * Why a child: CBC looks at its time limit between steps, and some of its
 * steps (the root relaxation, the search from the start it is given) ran
 * seconds past it (X-n303-k21, a 30 s run: 2.4 s for CBC took 5 s). The
 * child is killed at the deadline, so the caller's time limit holds, and
 * CBC's own global state (its message handlers) is never shared by the
 * searches of several threads. The child only computes; the parent reads
 * its choice from a pipe and checks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <coin/Cbc_C_Interface.h>

#include "route/set_partition.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* Less time than this is not worth a child. */
#define MIN_SECONDS 0.05
/* CBC's own limit, as a share of the time left: it stops and reports its
 * best choice before the child is killed, when its steps allow */
#define CBC_SHARE_OF_TIME_LEFT 0.8

/* CBC's choice (0/1 flags) into chosen; 0 when it has one. In the child. */
static int cbc_choose(const struct set_partition *sp, double seconds, uint8_t *chosen)
{
	int64_t nz = sp->col_start[sp->n_cols], k;
	int32_t n_rows = sp->n_rows + 1, i;  /* the last row counts the columns */
	int *start = xcalloc((size_t)sp->n_cols + 1, sizeof(*start));
	int *index = xcalloc((size_t)(nz + sp->n_cols) + 1, sizeof(*index));
	double *value = xcalloc((size_t)(nz + sp->n_cols) + 1, sizeof(*value));
	double *collb = xcalloc((size_t)sp->n_cols + 1, sizeof(*collb));
	double *colub = xcalloc((size_t)sp->n_cols + 1, sizeof(*colub));
	double *obj = xcalloc((size_t)sp->n_cols + 1, sizeof(*obj));
	double *rowlb = xcalloc((size_t)n_rows, sizeof(*rowlb));
	double *rowub = xcalloc((size_t)n_rows, sizeof(*rowub));
	double *start_vals = xcalloc((size_t)sp->n_start + 1, sizeof(*start_vals));
	const double *x;
	Cbc_Model *model;
	int rc = -1;

	nz = 0;
	for (i = 0; i < sp->n_cols; i++) {
		start[i] = (int)nz;
		for (k = sp->col_start[i]; k < sp->col_start[i + 1]; k++) {
			index[nz] = sp->rows[k];
			value[nz++] = 1.0;
		}
		index[nz] = sp->n_rows;
		value[nz++] = 1.0;
		colub[i] = 1.0;
		obj[i] = (double)sp->cost[i];
	}
	start[sp->n_cols] = (int)nz;
	for (i = 0; i < sp->n_rows; i++)
		rowlb[i] = rowub[i] = 1.0;
	rowub[sp->n_rows] = (double)sp->max_chosen;
	for (i = 0; i < sp->n_start; i++)
		start_vals[i] = 1.0;

	model = Cbc_newModel();
	Cbc_setLogLevel(model, 0);
	Cbc_loadProblem(model, sp->n_cols, n_rows, start, index, value, collb, colub, obj, rowlb, rowub);
	for (i = 0; i < sp->n_cols; i++)
		Cbc_setInteger(model, i);
	/* a set partitioning of routes has a nearly integral relaxation: the
	 * root's cuts cost more time than they save (R2_4_6, 12,000 routes:
	 * no better plan within 20 s with them, the optimum in 6 s without) */
	Cbc_setParameter(model, "cuts", "off");
	Cbc_setParameter(model, "threads", "1");
	Cbc_setMaximumSeconds(model, seconds * CBC_SHARE_OF_TIME_LEFT);
	if (sp->n_start)
		Cbc_setMIPStartI(model, sp->n_start, sp->start, start_vals);
	Cbc_solve(model);
	x = Cbc_getColSolution(model);
	if (x) {
		for (i = 0; i < sp->n_cols; i++)
			chosen[i] = x[i] > 0.5;
		rc = 0;
	}
	Cbc_deleteModel(model);
	free(start);
	free(index);
	free(value);
	free(collb);
	free(colub);
	free(obj);
	free(rowlb);
	free(rowub);
	free(start_vals);
	return rc;
}

/* The cost of chosen when it is an exact cover of at most max_chosen
 * columns, else -1: CBC's answer is checked, not trusted. */
static int64_t cover_cost(const struct set_partition *sp, const uint8_t *chosen)
{
	int32_t *cover = xcalloc((size_t)sp->n_rows + 1, sizeof(*cover)), used = 0, i;
	int64_t sum = 0, k;
	int ok = 1;
	for (i = 0; i < sp->n_cols && ok; i++) {
		if (!chosen[i])
			continue;
		used++;
		sum += sp->cost[i];
		for (k = sp->col_start[i]; k < sp->col_start[i + 1] && ok; k++)
			ok = ++cover[sp->rows[k]] == 1;
	}
	for (i = 0; i < sp->n_rows && ok; i++)
		ok = cover[i] == 1;
	free(cover);
	return ok && used <= sp->max_chosen ? sum : -1;
}

static void write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* Reads up to n bytes by the deadline; how many came. */
static size_t read_by(int fd, uint8_t *buf, size_t n, int64_t deadline_ns)
{
	size_t got = 0;
	while (got < n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left_ms = (deadline_ns - vc_mono_ns()) / 1000000;
		ssize_t r;
		if (left_ms <= 0)
			break;
		r = poll(&pfd, 1, left_ms > 60000 ? 60000 : (int)left_ms);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

int64_t set_partition_solve(const struct set_partition *sp, uint8_t *chosen)
{
	double seconds = (double)(sp->deadline_ns - vc_mono_ns()) / 1e9;
	size_t n = (size_t)sp->n_cols + 1;
	uint8_t *reply = xcalloc(n, 1);
	int fd[2], status;
	int64_t total = -1;
	pid_t pid;

	memset(chosen, 0, (size_t)sp->n_cols);
	/* close-on-exec: a process another thread starts meanwhile must not
	 * hold the write end open, or the read would wait for the deadline */
	if (seconds < MIN_SECONDS || sp->n_cols == 0 || pipe2(fd, O_CLOEXEC) < 0)
		goto cleanup;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		goto cleanup;
	}
	if (pid == 0) {
		/* the child: CBC, its choice down the pipe (a first byte 1 when
		 * it has one), and out without the parent's exit handlers or
		 * buffered output */
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		close(fd[0]);
		reply[0] = cbc_choose(sp, seconds, reply + 1) == 0;
		write_all(fd[1], reply, n);
		_exit(0);
	}
	close(fd[1]);
	if (read_by(fd[0], reply, n, sp->deadline_ns) == n && reply[0]) {
		memcpy(chosen, reply + 1, (size_t)sp->n_cols);
		total = cover_cost(sp, chosen);
	}
	kill(pid, SIGKILL);  /* done, or out of time: gone either way */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(fd[0]);
	if (total < 0)
		memset(chosen, 0, (size_t)sp->n_cols);

cleanup:
	free(reply);
	return total;
}

const char *set_partition_solver_version(void)
{
	return Cbc_getVersion();
}
