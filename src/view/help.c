/* help.c - the help page, drawn from the keymaps, with the reason behind every N/A in plain
 * words; and the signal dialog */
#include <stdio.h>
#include <string.h>

#include "../util/str.h"
#include "format.h"
#include "panels.h"
#include "ui.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* what each note key is about, in words ("power.ane" is the neural engine's power) */
static const struct {
	const char *key, *plain;
} note_names[] = {
	{ "cpu.freq", "CPU frequency" },
	{ "cpu", "CPU" },
	{ "memory", "Memory" },
	{ "power.package", "Package power" },
	{ "power.cpu", "CPU power" },
	{ "power.gpu", "GPU power" },
	{ "power.ane", "Neural engine power" },
	{ "power.dram", "DRAM power" },
	{ "power.system", "System power" },
	{ "power.uncore", "Uncore power" },
	{ "power", "Power" },
	{ "temps", "Temperatures" },
	{ "npu", "Neural engine" },
	{ "gpu.freq", "GPU frequency" },
	{ "gpu", "GPU" },
	{ "bandwidth", "Memory bandwidth" },
	{ "thermal", "Thermal pressure" },
	{ "processes.gpu_mem", "GPU memory per process" },
	{ "processes.gpu", "GPU time per process" },
	{ "processes", "Processes" },
	{ "battery", "Battery" },
	{ "fans", "Fans" },
	{ "ioreport", "IOReport" },
	{ "powermetrics", "powermetrics" },
};

void view_note_name(const char *key, char *out, size_t size)
{
	for (size_t i = 0; i < N(note_names); i++) {
		size_t n = strlen(note_names[i].key);
		if (!strcmp(key, note_names[i].key)) {
			str_copy(out, size, note_names[i].plain);
			return;
		}
		if (!strncmp(key, note_names[i].key, n) && key[n] == '.') {
			snprintf(out, size, "%s %s", note_names[i].plain, key + n + 1);
			return;
		}
	}
	str_copy(out, size, key);
}

/* a column of the help page, filled from the top */
struct column {
	struct surface *s;
	int x, y, w, end;
};

static void put(struct column *c, const char *text, struct style st)
{
	const char *alts[1] = { text };

	if (c->y < c->end)
		surf_label(c->s, c->x, c->y, c->w, alts, 1, st);
	c->y++;
}

/* a keymap as "  name   what it does" lines */
static void keys(struct column *c, enum ui_mode mode, const char *title, const struct theme *t)
{
	size_t n;
	const struct key_def *k = ui_keymap(mode, &n);
	char text[400];
	int namew = 0;

	if (title)
		put(c, title, t->title);
	for (size_t i = 0; i < n; i++)
		if (k[i].name && text_width(k[i].name) > namew)
			namew = text_width(k[i].name);
	for (size_t i = 0; i < n; i++)
		if (k[i].name) {
			snprintf(text, sizeof text, "  %-*s  %s", namew, k[i].name, k[i].does);
			put(c, text, t->text);
		}
}

static void reasons(struct column *c, const struct sample *smp, bool replay, const struct theme *t)
{
	char text[400], note[320];

	put(c, "Why some values are N/A", t->title);
	if (!smp || smp->nnotes == 0) {
		put(c, "  everything is measured", t->text);
		return;
	}
	for (unsigned i = 0; i < smp->nnotes; i++) {
		char name[64];
		view_note_name(smp->notes[i].key, name, sizeof name);
		note_text(smp->notes[i].text, replay, note, sizeof note);
		snprintf(text, sizeof text, "  %s: %s", name, note);
		put(c, text, t->text);
	}
}

/* The keys of every mode and the reasons behind the N/As: in two columns on a wide
 * terminal, else one after the other as rows allow. */
void panel_help(struct surface *s, const struct sample *smp, const struct view_state *vs,
                const struct theme *t)
{
	char title[80];
	bool two = s->w >= 110;
	struct column left = { s, 1, 2, two ? s->w / 2 - 2 : s->w - 2, s->h };
	struct column right = { s, s->w / 2 + 1, 2, s->w - s->w / 2 - 2, s->h };
	struct column *rest = two ? &right : &left;

	snprintf(title, sizeof title, "agtop %s \xC2\xB7 keys (any key closes this page)",
	         vs->version);
	left.y = 0;
	put(&left, title, t->title);
	left.y++;
	keys(&left, UI_NORMAL, NULL, t);
	if (!two)
		left.y++;
	keys(rest, UI_FILTER, "On the filter line", t);
	rest->y++;
	keys(rest, UI_CONFIRM, "In the signal dialog", t);
	rest->y++;
	reasons(rest, smp, vs->replay, t);
}

void confirm_draw(struct surface *s, struct rect in, const struct view_state *vs,
                  const struct theme *t)
{
	const struct view_confirm *cf = &vs->confirm;
	char text[300], fitted[300];
	int y = in.y, rows, first;

	if (in.h < 1)
		return;
	snprintf(text, sizeof text, "to %s", cf->what);
	data_fit(text, in.w, fitted, sizeof fitted);
	surf_text(s, in.x, y++, in.w, fitted, t->head, RUN_DATA);
	rows = in.y + in.h - y - 1; /* the last row says which keys */
	if (rows < 1)
		rows = in.y + in.h - y;
	/* the choice stays in view */
	first = cf->choice - rows + 1 > 0 ? cf->choice - rows + 1 : 0;
	for (int i = first; i < (int)ui_nsignals && y < in.y + in.h && i - first < rows; i++) {
		bool on = i == cf->choice;
		char name[16];
		const char *alts[2] = { text, name };
		snprintf(text, sizeof text, "%s %-4s  %s", on ? "\xE2\x96\xB8" : " ",
		         ui_signals[i].name, ui_signals[i].does);
		snprintf(name, sizeof name, "%s %s", on ? "\xE2\x96\xB8" : " ", ui_signals[i].name);
		if (on)
			surf_fill(s, in.x, y, in.w, ' ', t->select);
		surf_label(s, in.x, y++, in.w, alts, 2, on ? t->select : t->text);
	}
	if (y < in.y + in.h) {
		const char *alts[2] = { "Up/Down chooses \xC2\xB7 Enter sends \xC2\xB7 Esc cancels",
			                "Enter sends \xC2\xB7 Esc cancels" };
		surf_label(s, in.x, in.y + in.h - 1, in.w, alts, 2, t->dim);
	}
}

void panel_confirm(struct surface *s, const struct view_state *vs, const struct theme *t)
{
	const char *title[2] = { "Send a signal", "Signal" };
	struct rect in = w_box(s, (struct rect){ 0, 0, s->w, s->h }, title, 2, t);

	confirm_draw(s, in, vs, t);
}
