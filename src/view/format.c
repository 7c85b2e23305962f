#include "format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/str.h"

#define NA(out, size, v)                            \
	do {                                        \
		if (isnan(v)) {                     \
			snprintf(out, size, "N/A"); \
			return;                     \
		}                                   \
	} while (0)

void fmt_gib(char *out, size_t size, double bytes)
{
	NA(out, size, bytes);
	snprintf(out, size, "%.1f", bytes / (1024.0 * 1024.0 * 1024.0));
}

void fmt_size(char *out, size_t size, double bytes)
{
	static const char units[] = "KMGTP";
	double v = bytes / 1024.0;
	int u = 0;

	NA(out, size, bytes);
	while (v >= 1000 && u < 4) {
		v /= 1024.0;
		u++;
	}
	if (v >= 100 || u == 0)
		snprintf(out, size, "%.0f%c", v, units[u]);
	else
		snprintf(out, size, "%.1f%c", v, units[u]);
}

void fmt_watts(char *out, size_t size, double w)
{
	NA(out, size, w);
	snprintf(out, size, "%.2fW", w);
}

void fmt_energy(char *out, size_t size, double j)
{
	double wh = j / 3600.0;

	NA(out, size, j);
	if (wh < 0.1)
		snprintf(out, size, "%.0fmWh", wh * 1000);
	else if (wh < 1000)
		snprintf(out, size, "%.2fWh", wh);
	else
		snprintf(out, size, "%.2fkWh", wh / 1000);
}

void fmt_gbs(char *out, size_t size, double bps, int decimals)
{
	NA(out, size, bps);
	snprintf(out, size, "%.*f", decimals, bps / 1e9);
}

void fmt_mhz(char *out, size_t size, double hz)
{
	NA(out, size, hz);
	snprintf(out, size, "%.0f", hz / 1e6);
}

void fmt_celsius(char *out, size_t size, double c)
{
	NA(out, size, c);
	snprintf(out, size,
	         "%.0f\xC2\xB0"
	         "C",
	         c);
}

void proc_display_name(const char *cmdline, const char *name, char *out, size_t size)
{
	const char *app, *start, *end;

	if (!cmdline || !*cmdline) {
		str_copy(out, size, name && *name ? name : "?");
		return;
	}
	/* ([^/]+)\.app(?:/| |$) */
	for (app = strstr(cmdline, ".app"); app; app = strstr(app + 1, ".app")) {
		if (app[4] == '/' || app[4] == ' ' || app[4] == '\0') {
			start = app;
			while (start > cmdline && start[-1] != '/')
				start--;
			if (start < app) {
				str_copy_n(out, size, start, (size_t)(app - start));
				return;
			}
		}
	}
	end = strchr(cmdline, ' ');
	if (!end)
		end = cmdline + strlen(cmdline);
	start = end;
	while (start > cmdline && start[-1] != '/')
		start--;
	if (start == end) /* "/path/" or an empty first word */
		str_copy(out, size, name && *name ? name : "?");
	else
		str_copy_n(out, size, start, (size_t)(end - start));
}

void note_text(const char *note, bool replay, char *out, size_t size)
{
	static const char *const here[] = { "this machine", "this CPU" };
	static const char *const there[] = { "the recorded machine", "the recorded CPU" };
	const char *p = note;
	size_t o = 0;

	if (!size)
		return;
	out[0] = '\0';
	while (replay && o < size) {
		const char *hit = NULL;
		size_t which = 0;

		for (size_t i = 0; i < sizeof here / sizeof here[0]; i++) {
			const char *h = strstr(p, here[i]);
			if (h && (!hit || h < hit))
				hit = h, which = i;
		}
		if (!hit)
			break;
		o += (size_t)snprintf(out + o, size - o, "%.*s%s", (int)(hit - p), p, there[which]);
		p = hit + strlen(here[which]);
	}
	if (o < size)
		snprintf(out + o, size - o, "%s", p);
}
