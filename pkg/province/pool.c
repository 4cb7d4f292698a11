/*
 * pool: `--jobs N`: N worker processes (fork), each with its own
 * connection, taking hubs from one shared queue. Processes rather than
 * threads: a hub's memory is returned to the system when its worker ends,
 * peak RSS is measured per worker, and a crash in one hub's planning ends
 * one worker, not the night. Workers send each outcome to this process as
 * one JSON line on their own pipe ({"start": HUB} before a hub, then
 * {"hub", "kind", "code", "message", "summary"}); this process hands them
 * to the caller's emit, so stdout gets whole lines whatever N is.
 */
#include "province/province_internal.h"
#include "db/db.h"
#include "db/migrate.h"
#include "log/log.h"
#include "util/fault.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

struct child {
	pid_t pid;
	int fd;                /* read end of its pipe, -1 at EOF */
	struct strbuf in;      /* bytes read, not yet a whole line */
	char hub[72];          /* the hub it is on ("" between hubs) */
	int hubs;
};

int province_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static void write_line(int fd, json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t len, off = 0;
	json_decref(msg);
	if (!text)
		return;
	len = strlen(text);
	text[len++] = '\n'; /* json_dumps leaves room: it allocated strlen + 1 */
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	free(text);
}

static void child_start(const char *hub, void *ctx)
{
	write_line(*(int *)ctx, json_pack("{s:s}", "start", hub));
}

static void child_emit(const struct province_outcome *o, void *ctx)
{
	write_line(*(int *)ctx, json_pack("{s:s, s:i, s:i, s:s, s:O?}", "hub", o->hub,
					  "kind", (int)o->kind, "code", o->code,
					  "message", o->message, "summary", o->summary));
}

/* One line from a worker: a hub started, or its outcome (to emit). */
static void parent_line(struct child *c, const char *line, const struct province_options *o)
{
	json_t *msg = json_loads(line, 0, NULL);
	struct province_outcome out;
	const char *s;
	if (!msg)
		return;
	if ((s = json_string_value(json_object_get(msg, "start")))) {
		snprintf(c->hub, sizeof(c->hub), "%s", s);
		c->hubs++;
	} else {
		memset(&out, 0, sizeof(out));
		snprintf(out.hub, sizeof(out.hub), "%s", json_string_value(json_object_get(msg, "hub")));
		out.kind = (enum province_kind)json_integer_value(json_object_get(msg, "kind"));
		out.code = (int)json_integer_value(json_object_get(msg, "code"));
		snprintf(out.message, sizeof(out.message), "%s",
			 json_string_value(json_object_get(msg, "message")));
		out.summary = json_object_get(msg, "summary");
		if (json_is_null(out.summary))
			out.summary = NULL;
		o->emit(&out, o->emit_ctx);
		c->hub[0] = 0;
	}
	json_decref(msg);
}

static void parent_read(struct child *c, const struct province_options *o)
{
	char buf[65536];
	ssize_t n = read(c->fd, buf, sizeof(buf));
	char *nl;
	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	strbuf_add(&c->in, buf, (size_t)n);
	while ((nl = memchr(c->in.buf, '\n', c->in.len))) {
		size_t len = (size_t)(nl - c->in.buf) + 1;
		*nl = 0;
		parent_line(c, c->in.buf, o);
		memmove(c->in.buf, c->in.buf + len, c->in.len - len);
		strbuf_setlen(&c->in, c->in.len - len);
	}
}

/* A worker ended: say how, and fail the hub it died in, if any. */
static void reap(struct child *c, const struct province_options *o)
{
	struct rusage ru;
	int status = 0;
	while (wait4(c->pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	log_event(LOG_INFO, "worker_end", "pid=%d hubs=%d maxrss_kb=%ld status=%d", (int)c->pid,
		  c->hubs, ru.ru_maxrss, status);
	if (c->hub[0]) {
		struct province_outcome out;
		memset(&out, 0, sizeof(out));
		snprintf(out.hub, sizeof(out.hub), "%s", c->hub);
		out.kind = PROVINCE_FAILED;
		out.code = EX_SOFTWARE;
		if (WIFSIGNALED(status))
			snprintf(out.message, sizeof(out.message), "hub %s: worker pid %d killed by signal %d",
				 c->hub, (int)c->pid, WTERMSIG(status));
		else
			snprintf(out.message, sizeof(out.message), "hub %s: worker pid %d ended (status %d)",
				 c->hub, (int)c->pid, WEXITSTATUS(status));
		o->emit(&out, o->emit_ctx);
	}
	strbuf_release(&c->in);
}

static int spawn(struct child *kids, int k, const struct vc_config *cfg,
		 const struct province_options *o, struct province_queue *q, struct vc_error *err)
{
	int p[2], i;
	if (pipe(p) < 0)
		return vc_fail(err, EX_OSERR, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	kids[k].pid = fork();
	if (kids[k].pid < 0) {
		close(p[0]);
		close(p[1]);
		return vc_fail(err, EX_OSERR, "fork: %s", strerror(errno));
	}
	if (kids[k].pid == 0) {
		struct province_options mine = *o;
		int fd = p[1];
		/* A worker dies with its parent: a `kill -9` of the nightly job
		 * (cron's timeout, an operator) must stop every hub it started,
		 * as it did before --jobs, not leave orphans posting manifests. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
			_exit(EX_OSERR);
		close(p[0]);
		for (i = 0; i < k; i++)
			if (kids[i].fd >= 0)
				close(kids[i].fd);
		mine.emit = child_emit;
		mine.emit_ctx = &fd;
		worker_run(cfg, &mine, q, NULL, child_start);
		close(fd);
		fflush(stderr);
		/* The end of a worker process, not of the program: no atexit
		 * handlers or stdio buffers of the parent run twice. */
		_exit(0);
	}
	close(p[1]);
	kids[k].fd = p[0];
	strbuf_init(&kids[k].in, 0);
	kids[k].hub[0] = 0;
	kids[k].hubs = 0;
	return 0;
}

static int run_pool(const struct vc_config *cfg, const struct province_options *o,
		    struct province_queue *q, struct vc_error *err)
{
	int jobs = o->jobs < (int)q->n ? o->jobs : (int)q->n, started = 0, open, i, rc = 0;
	struct child *kids = xcalloc((size_t)jobs, sizeof(*kids));
	struct pollfd *fds = xcalloc((size_t)jobs, sizeof(*fds));
	struct nightly_request req = *o->req;
	struct province_options shared = *o;
	int cores = province_default_jobs();

	/* N hubs at once share the cores: each hub's route search gets cores / N
	 * threads (unless plan_threads is configured) instead of every core. */
	req.plan_threads = cores / jobs > 1 ? cores / jobs : 1;
	/* Several workers drawing one terminal line would garble it: the
	 * parent shows the hubs as they finish instead (cmd_nightly.c). */
	req.progress = NULL;
	shared.req = &req;
	for (i = 0; i < jobs && rc == 0; i++) {
		rc = spawn(kids, i, cfg, &shared, q, err);
		started += rc == 0;
	}
	do {
		open = 0;
		for (i = 0; i < started; i++) {
			fds[i].fd = kids[i].fd;
			fds[i].events = POLLIN;
			fds[i].revents = 0;
			open += kids[i].fd >= 0;
		}
		if (!open)
			break;
		if (poll(fds, (nfds_t)started, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < started; i++)
			if (kids[i].fd >= 0 && fds[i].revents)
				parent_read(&kids[i], o);
	} while (open);
	for (i = 0; i < started; i++)
		reap(&kids[i], o);
	free(fds);
	free(kids);
	return rc;
}

int province_run(const struct vc_config *cfg, const struct province_options *o,
		 struct vc_error *err)
{
	struct province_queue q;
	PGconn *conn = db_connect(o->conninfo, o->app, err);
	int rc = 0;

	if (!conn)
		return -1;
	/* a database an upgrade left behind: one line (78), before any hub is touched */
	if (db_schema_check(conn, err) < 0 ||
	    queue_load(conn, o->hub_code, o->req->service_date, &q, err) < 0) {
		db_close(conn);
		return -1;
	}
	/* Tests hold here to start several workers at the same instant. */
	FAULT_POINT("province_start");
	if (o->jobs <= 1 || q.n <= 1) {
		worker_run(cfg, o, &q, conn, NULL);
	} else {
		/* The workers connect on their own: a forked libpq connection is not shareable. */
		db_close(conn);
		rc = queue_share(&q, err);
		if (rc == 0)
			rc = run_pool(cfg, o, &q, err);
	}
	queue_release(&q);
	return rc;
}
