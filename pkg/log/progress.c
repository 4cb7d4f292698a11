/* progress: the terminal status line (see progress.h). */
#include "log/progress.h"
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_init(struct tty_progress *p, int fd)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->enabled = isatty(fd);
	p->started_ms = now_ms();
	p->last_ms = -1000;
}

long progress_elapsed_ms(const struct tty_progress *p)
{
	return now_ms() - p->started_ms;
}

static size_t columns(int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col;
	return 80;
}

static void put(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return; /* a display is not worth failing for */
		s += w;
		n -= (size_t)w;
	}
}

void progress_show(struct tty_progress *p, int force, const char *fmt, ...)
{
	struct strbuf line = STRBUF_INIT;
	long now;
	size_t width;
	va_list ap;

	if (!p->enabled)
		return;
	now = now_ms();
	if (!force && now - p->last_ms < 100)
		return;
	p->last_ms = now;
	strbuf_addch(&line, '\r');
	va_start(ap, fmt);
	strbuf_vaddf(&line, fmt, ap);
	va_end(ap);
	/* Leave the last column free: writing there wraps on some terminals. */
	width = columns(p->fd);
	if (line.len > width) {
		/* cut at a character boundary, not inside a UTF-8 sequence */
		size_t cut = width;
		while (cut > 1 && ((unsigned char)line.buf[cut] & 0xC0) == 0x80)
			cut--;
		strbuf_setlen(&line, cut);
	}
	strbuf_addstr(&line, "\033[K"); /* erase what a longer previous line left */
	put(p->fd, line.buf, line.len);
	p->shown = 1;
	strbuf_release(&line);
}

void progress_end(struct tty_progress *p)
{
	if (p->enabled && p->shown)
		put(p->fd, "\r\033[K", 4);
	p->shown = 0;
}

const char *progress_count(char buf[32], long long n)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? -n : n), i, o = 0;
	if (n < 0)
		buf[o++] = '-';
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}
