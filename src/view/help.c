/* help.c - the help page, drawn from the keymaps, with the reason behind every N/A in plain
 * words; and the signal dialog */
#include <stdio.h>
#include <string.h>

#include "../util/str.h"
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
	{ "gpu", "GPU" },
	{ "bandwidth", "Memory bandwidth" },
	{ "thermal", "Thermal pressure" },
	{ "processes", "Processes" },
	{ "ioreport", "IOReport" },
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

static int line(struct surface *s, int y, const char *text, struct style st)
{
	const char *alts[1] = { text };

	if (y < s->h)
		surf_label(s, 1, y, s->w - 2, alts, 1, st);
	return y + 1;
}

/* "Enter keeps · Esc clears · ...": a mode's keys on one line */
static void mode_line(enum ui_mode mode, const char *what, char *out, size_t size)
{
	size_t n, o = (size_t)snprintf(out, size, "%s:", what);
	const struct key_def *k = ui_keymap(mode, &n);

	for (size_t i = 0; i < n && o < size; i++)
		if (k[i].name)
			o += (size_t)snprintf(out + o, size - o, "%s %s %s", i ? " \xC2\xB7" : "",
			                      k[i].name, k[i].does);
}

void panel_help(struct surface *s, const struct sample *smp, const struct view_state *vs,
                const struct theme *t)
{
	size_t n;
	const struct key_def *k = ui_keymap(UI_NORMAL, &n);
	char text[400];
	int y = 0, namew = 0;

	snprintf(text, sizeof text, "agtop %s \xC2\xB7 keys", vs->version);
	y = line(s, y, text, t->title);
	for (size_t i = 0; i < n; i++)
		if (k[i].name && text_width(k[i].name) > namew)
			namew = text_width(k[i].name);
	for (size_t i = 0; i < n && y < s->h; i++) {
		if (!k[i].name)
			continue;
		snprintf(text, sizeof text, "  %-*s  %s", namew, k[i].name, k[i].does);
		y = line(s, y, text, t->text);
	}
	mode_line(UI_FILTER, "Filter line", text, sizeof text);
	y = line(s, y, text, t->dim);
	mode_line(UI_CONFIRM, "Signal dialog", text, sizeof text);
	y = line(s, y, text, t->dim);
	if (y + 2 >= s->h)
		return;
	y = line(s, y + 1, "Why some values are N/A:", t->title);
	if (!smp || smp->nnotes == 0) {
		line(s, y, "  everything is measured", t->text);
		return;
	}
	for (unsigned i = 0; i < smp->nnotes && y < s->h; i++) {
		char name[64];
		view_note_name(smp->notes[i].key, name, sizeof name);
		snprintf(text, sizeof text, "  %s: %s", name, smp->notes[i].text);
		y = line(s, y, text, t->text);
	}
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
		const char *alts[2] = { text, ui_signals[i].name };
		snprintf(text, sizeof text, "%s %-4s  %s", on ? "\xE2\x96\xB8" : " ",
		         ui_signals[i].name, ui_signals[i].does);
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
