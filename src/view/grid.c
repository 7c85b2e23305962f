#include "grid.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/array.h"
#include "../util/strbuf.h"

static void problem(struct grid *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct grid *g, const char *fmt, ...)
{
	size_t n = strlen(g->problems);
	va_list ap;

	g->nproblems++;
	if (n + 2 >= sizeof g->problems)
		return;
	va_start(ap, fmt);
	vsnprintf(g->problems + n, sizeof g->problems - n, fmt, ap);
	va_end(ap);
	n = strlen(g->problems);
	if (n + 1 < sizeof g->problems) {
		g->problems[n] = '\n';
		g->problems[n + 1] = '\0';
	}
}

static size_t utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void write_cell(struct grid *g, int x, int y, uint32_t cp, struct style st)
{
	struct grid_cell *c = &g->cells[y * g->surf.w + x];

	/* a label's cell drawn over by anything else is a defect */
	if (c->run && c->run != g->cur && g->runs[c->run - 1].kind == RUN_LABEL)
		problem(g, "label \"%s\" at %d,%d is drawn over by %s", g->runs[c->run - 1].full, x,
		        y,
		        g->cur ? (g->runs[g->cur - 1].kind == RUN_LABEL ? g->runs[g->cur - 1].full
		                                                        : "data")
		               : "a border or bar");
	c->cp = cp;
	c->st = st;
	c->run = g->cur;
	c->written = true;
}

static void grid_put(struct surface *s, int x, int y, uint32_t cp, int width, struct style st)
{
	struct grid *g = s->priv;

	if (x < 0 || y < 0 || x >= s->w || y >= s->h)
		return;
	write_cell(g, x, y, cp, st);
	if (width == 2 && x + 1 < s->w)
		write_cell(g, x + 1, y, 0xFFFFFFFF /* continuation */, st);
	if (g->cur) {
		struct grid_run *r = &g->runs[g->cur - 1];
		size_t n = strlen(r->drawn);
		if (n + 5 < sizeof r->drawn) {
			n += utf8_put(r->drawn + n, cp);
			r->drawn[n] = '\0';
		}
	}
}

static void grid_clear(struct surface *s)
{
	struct grid *g = s->priv;

	memset(g->cells, 0, (size_t)s->w * (size_t)s->h * sizeof *g->cells);
	g->nruns = 0;
	g->cur = 0;
	g->problems[0] = '\0';
	g->nproblems = 0;
}

static void grid_begin(struct surface *s, enum run_kind kind, const char *full)
{
	struct grid *g = s->priv;
	struct grid_run *r;

	if (array_grow((void **)&g->runs, &g->cap, g->nruns + 1, sizeof *g->runs, 64))
		return;
	r = &g->runs[g->nruns++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	snprintf(r->full, sizeof r->full, "%s", full);
	g->cur = (int)g->nruns;
}

static void grid_end(struct surface *s)
{
	struct grid *g = s->priv;

	g->cur = 0;
}

static const struct surface_ops grid_ops = {
	.put = grid_put,
	.clear = grid_clear,
	.begin_run = grid_begin,
	.end_run = grid_end,
};

int grid_init(struct grid *g, int w, int h)
{
	memset(g, 0, sizeof *g);
	g->surf.ops = &grid_ops;
	g->surf.w = w;
	g->surf.h = h;
	g->surf.priv = g;
	g->cells = calloc((size_t)w * (size_t)h, sizeof *g->cells);
	return g->cells ? 0 : -1;
}

void grid_free(struct grid *g)
{
	free(g->cells);
	free(g->runs);
	memset(g, 0, sizeof *g);
}

static void text_rows(const struct grid *g, struct strbuf *b)
{
	for (int y = 0; y < g->surf.h; y++) {
		for (int x = 0; x < g->surf.w; x++) {
			const struct grid_cell *c = &g->cells[y * g->surf.w + x];
			char u[4];
			if (c->cp == 0xFFFFFFFF)
				continue;
			sb_add(b, u, c->cp ? utf8_put(u, c->cp) : utf8_put(u, ' '));
		}
		sb_putc(b, '\n');
	}
}

char *grid_text(const struct grid *g)
{
	struct strbuf b;

	sb_init(&b);
	text_rows(g, &b);
	return b.buf;
}

static void color_text(struct strbuf *b, const char *what, struct color c)
{
	if (c.kind == COLOR_INDEX)
		sb_printf(b, " %s=%u", what, c.v);
	else if (c.kind == COLOR_RGB)
		sb_printf(b, " %s=#%06x", what, c.v);
}

char *grid_dump(const struct grid *g)
{
	static const char letters[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	struct style styles[sizeof letters - 1];
	size_t nstyles = 0;
	struct strbuf b;

	sb_init(&b);
	text_rows(g, &b);
	/* styles in order of first use */
	for (int i = 0; i < g->surf.w * g->surf.h; i++) {
		const struct grid_cell *c = &g->cells[i];
		size_t k;
		if (!c->written)
			continue;
		for (k = 0; k < nstyles; k++)
			if (style_equal(styles[k], c->st))
				break;
		if (k == nstyles && nstyles < sizeof styles / sizeof styles[0])
			styles[nstyles++] = c->st;
	}
	sb_puts(&b, "-- styles\n");
	for (size_t k = 0; k < nstyles; k++) {
		sb_putc(&b, letters[k]);
		if (styles[k].fg.kind == COLOR_DEFAULT && styles[k].bg.kind == COLOR_DEFAULT &&
		    !styles[k].attr)
			sb_puts(&b, " default");
		color_text(&b, "fg", styles[k].fg);
		color_text(&b, "bg", styles[k].bg);
		if (styles[k].attr & ATTR_BOLD)
			sb_puts(&b, " bold");
		if (styles[k].attr & ATTR_DIM)
			sb_puts(&b, " dim");
		if (styles[k].attr & ATTR_REVERSE)
			sb_puts(&b, " reverse");
		if (styles[k].attr & ATTR_UNDERLINE)
			sb_puts(&b, " underline");
		sb_putc(&b, '\n');
	}
	sb_puts(&b, "-- style of each cell ('.' never drawn)\n");
	for (int y = 0; y < g->surf.h; y++) {
		for (int x = 0; x < g->surf.w; x++) {
			const struct grid_cell *c = &g->cells[y * g->surf.w + x];
			size_t k;
			if (!c->written) {
				sb_putc(&b, '.');
				continue;
			}
			for (k = 0; k < nstyles; k++)
				if (style_equal(styles[k], c->st))
					break;
			sb_putc(&b, k < nstyles ? letters[k] : '?');
		}
		sb_putc(&b, '\n');
	}
	return b.buf;
}

int grid_check(struct grid *g)
{
	for (size_t i = 0; i < g->nruns; i++) {
		const struct grid_run *r = &g->runs[i];
		size_t n = strlen(r->drawn);

		if (!n || strcmp(r->drawn, r->full) == 0)
			continue;
		if (r->kind == RUN_LABEL) {
			/* a cut label must end where a word ends */
			if (strncmp(r->full, r->drawn, n) != 0 || r->full[n] != ' ' ||
			    r->drawn[n - 1] == ' ')
				problem(g, "label cut inside a word: \"%s\" of \"%s\"", r->drawn,
				        r->full);
		} else if (r->kind == RUN_DATA) {
			size_t e = strlen("\xE2\x80\xA6");
			if (n < e || strcmp(r->drawn + n - e, "\xE2\x80\xA6") != 0 ||
			    strncmp(r->full, r->drawn, n - e) != 0)
				problem(g, "data cut without an ellipsis: \"%s\" of \"%s\"",
				        r->drawn, r->full);
		}
	}
	return g->nproblems;
}
