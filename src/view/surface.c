#include "surface.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "../util/str.h"

bool style_equal(struct style a, struct style b)
{
	return a.fg.kind == b.fg.kind && a.fg.v == b.fg.v && a.bg.kind == b.bg.kind &&
	       a.bg.v == b.bg.v && a.attr == b.attr;
}

uint32_t utf8_next(const char **pp)
{
	const unsigned char *p = (const unsigned char *)*pp;
	uint32_t cp;
	int n;

	if (p[0] < 0x80) {
		*pp += 1;
		return p[0];
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2, cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3, cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4, cp = p[0] & 0x07;
	else {
		*pp += 1;
		return 0xFFFD;
	}
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*pp += 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	*pp += n;
	return cp;
}

int cp_width(uint32_t cp)
{
	int w;

	if (cp < 0x20 || cp == 0x7F)
		return 0;
	if (cp < 0x7F)
		return 1;
	/* block elements, box drawing, braille, geometric shapes: always one cell */
	if ((cp >= 0x2500 && cp <= 0x259F) || (cp >= 0x2800 && cp <= 0x28FF) || cp == 0x2026 ||
	    cp == 0x00B7 || cp == 0x00B0)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
	int w = 0;

	while (*s)
		w += cp_width(utf8_next(&s));
	return w;
}

static int draw_run(struct surface *s, int x, int y, int maxw, const char *text, const char *full,
                    struct style st, enum run_kind kind)
{
	int used = 0;

	if (y < 0 || y >= s->h || maxw <= 0 || !*text)
		return 0;
	if (s->ops->begin_run)
		s->ops->begin_run(s, kind, full);
	while (*text) {
		uint32_t cp = utf8_next(&text);
		int w = cp_width(cp);
		if (w == 0)
			continue;
		if (used + w > maxw || x + used + w > s->w)
			break;
		if (x + used >= 0)
			s->ops->put(s, x + used, y, cp, w, st);
		used += w;
	}
	if (s->ops->end_run)
		s->ops->end_run(s);
	return used;
}

int surf_text(struct surface *s, int x, int y, int maxw, const char *text, struct style st,
              enum run_kind kind)
{
	return draw_run(s, x, y, maxw, text, text, st, kind);
}

void surf_fill(struct surface *s, int x, int y, int w, uint32_t cp, struct style st)
{
	for (int i = 0; i < w; i++)
		if (x + i >= 0 && x + i < s->w && y >= 0 && y < s->h)
			s->ops->put(s, x + i, y, cp, 1, st);
}

/* Returns the index of the alternative used; *cut tells whether it had to be cut. */
static size_t fit(const char *const *alts, size_t nalts, int maxw, char *out, size_t size,
                  bool *cut)
{
	const char *last;
	size_t n = 0;
	int w = 0;

	out[0] = '\0';
	*cut = false;
	if (nalts == 0 || maxw <= 0)
		return 0;
	for (size_t i = 0; i < nalts; i++)
		if (text_width(alts[i]) <= maxw) {
			str_copy(out, size, alts[i]);
			return i;
		}
	/* cut the shortest form after its last whole word that fits */
	*cut = true;
	last = alts[nalts - 1];
	for (const char *p = last; *p;) {
		const char *q = p;
		w += cp_width(utf8_next(&q));
		if (w > maxw)
			break;
		p = q;
		if (*p == ' ' || *p == '\0')
			n = (size_t)(p - last);
	}
	while (n > 0 && last[n - 1] == ' ')
		n--;
	str_copy_n(out, size, last, n);
	return nalts - 1;
}

void label_fit(const char *const *alts, size_t nalts, int maxw, char *out, size_t size)
{
	bool cut;

	fit(alts, nalts, maxw, out, size, &cut);
}

int surf_label(struct surface *s, int x, int y, int maxw, const char *const *alts, size_t nalts,
               struct style st)
{
	char buf[512];
	bool cut;
	size_t i = fit(alts, nalts, maxw, buf, sizeof buf, &cut);

	return draw_run(s, x, y, maxw, buf, nalts ? alts[i] : "", st, RUN_LABEL);
}

void data_fit(const char *text, int maxw, char *out, size_t size)
{
	int w = 0;
	size_t o = 0;

	out[0] = '\0';
	if (maxw <= 0)
		return;
	if (text_width(text) <= maxw) {
		str_copy(out, size, text);
		return;
	}
	while (*text) {
		const char *q = text;
		int cw = cp_width(utf8_next(&q));
		if (w + cw > maxw - 1 || o + (size_t)(q - text) + 4 > size)
			break;
		memcpy(out + o, text, (size_t)(q - text));
		o += (size_t)(q - text);
		w += cw;
		text = q;
	}
	memcpy(out + o, "\xE2\x80\xA6", 4); /* … and the NUL */
}
