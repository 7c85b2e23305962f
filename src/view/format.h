/* format.h - numbers as the dashboard prints them (pure) */
#ifndef AGTOP_FORMAT_H
#define AGTOP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

/* Each writes "N/A" for NAN. */
void fmt_gib(char *out, size_t size, double bytes);     /* "39.3" (GiB, one decimal) */
void fmt_size(char *out, size_t size, double bytes);    /* "1.3G", "120M", "512K" */
void fmt_watts(char *out, size_t size, double w);       /* "13.00W" */
void fmt_energy(char *out, size_t size, double joules); /* "950mWh", "2.84Wh", "1.20kWh" */
void fmt_gbs(char *out, size_t size, double bytes_per_s, int decimals); /* "76.50" (GB/s) */
void fmt_mhz(char *out, size_t size, double hz);                        /* "1180" */
void fmt_celsius(char *out, size_t size, double c);                     /* "58°C" */

/* The original's display name: the bundle of a "/X.app/" path, else the basename of the first
 * word of the command line; the short name when the command line is empty. */
void proc_display_name(const char *cmdline, const char *name, char *out, size_t size);

/* A reason a value is N/A, as the dashboard shows it: from a recording, the notes its source
 * wrote about "this machine" ("this CPU") are about the recorded one, and say so. */
void note_text(const char *note, bool replay, char *out, size_t size);

#endif
