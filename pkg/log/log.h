/*
 * log: one line per event on stderr, `ts level event key=value ...`
 * (logfmt). Quiet by default: warnings and errors only, info with -v,
 * debug with -vv. Callers never log secrets; values that may hold spaces
 * go through log_quote.
 */
#ifndef VC_LOG_H
#define VC_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_set_level(enum log_level level);
int log_enabled(enum log_level level);
/* fmt formats the key=value part; may be NULL. */
void log_event(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Quote a value for logfmt into buf (always NUL-terminated); returns buf. */
const char *log_quote(char *buf, unsigned size, const char *value);

#endif
