/* hhmm: times of day as minutes (see hhmm.h). */
#include "util/hhmm.h"

#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int vc_hhmm_parse(const char *s, unsigned flags)
{
	size_t n = s ? strlen(s) : 0;
	size_t h = n == 5 ? 2 : 1;
	int hh, mm;
	if (!(n == 5 || (n == 4 && (flags & VC_HHMM_SHORT_HOUR))) || s[h] != ':' ||
	    !is_digit(s[0]) || (h == 2 && !is_digit(s[1])) || !is_digit(s[h + 1]) ||
	    !is_digit(s[h + 2]))
		return -1;
	hh = h == 2 ? (s[0] - '0') * 10 + (s[1] - '0') : s[0] - '0';
	mm = (s[h + 1] - '0') * 10 + (s[h + 2] - '0');
	if (mm > 59 || hh > 24 || (hh == 24 && mm != 0))
		return -1;
	return hh * 60 + mm;
}

void vc_hhmm_format(int minutes, char out[6])
{
	/* out of range shows as 00:00 rather than overflow the field */
	unsigned m = minutes < 0 || minutes > 1440 ? 0u : (unsigned)minutes;
	out[0] = (char)('0' + m / 600);
	out[1] = (char)('0' + m / 60 % 10);
	out[2] = ':';
	out[3] = (char)('0' + m % 60 / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}
