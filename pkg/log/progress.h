/*
 * progress: one self-overwriting status line on a terminal (SPEC section
 * 8: "progress on a TTY only"). Disabled, and silent, unless the file
 * descriptor is a terminal, so cron output and pipes never see it. The
 * line is cut to the terminal's width (a wrapped line could not be
 * overwritten), redrawn at most 10 times a second, and cleared at the end
 * so that what follows (the summary, errors) starts on a clean line.
 */
#ifndef VC_LOG_PROGRESS_H
#define VC_LOG_PROGRESS_H

struct tty_progress {
	int fd;
	int enabled;     /* fd is a terminal */
	int shown;       /* a line is on screen */
	long started_ms, last_ms;
};

/* Enabled iff isatty(fd). */
void progress_init(struct tty_progress *p, int fd);
/* Redraw the line (skipped when less than 100 ms since the last one, unless force). */
void progress_show(struct tty_progress *p, int force, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Clear the line, if one is shown. */
void progress_end(struct tty_progress *p);
/* Milliseconds since progress_init. */
long progress_elapsed_ms(const struct tty_progress *p);
/* "1,234,567" (thousands separated) into buf. */
const char *progress_count(char buf[32], long long n);

#endif
