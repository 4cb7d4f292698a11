/*
 * hhmm: the one parser and formatter of times of day as minutes since
 * midnight (00:00 to 24:00), for the CSV import, the manifests and their
 * verification.
 */
#ifndef VC_HHMM_H
#define VC_HHMM_H

/* Accept a one-digit hour ("8:00") as well as "08:00" (CSV input). */
#define VC_HHMM_SHORT_HOUR 1

/* Minutes (0..1440), or -1 when s is not HH:MM (flags: VC_HHMM_*). */
int vc_hhmm_parse(const char *s, unsigned flags);
/* minutes as "HH:MM" in out (6 bytes). */
void vc_hhmm_format(int minutes, char out[6]);

#endif
