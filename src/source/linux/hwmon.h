/* hwmon.h - temperatures from /sys/class/hwmon and /sys/class/thermal */
#ifndef AGTOP_HWMON_H
#define AGTOP_HWMON_H

#include "../../sample.h"
#include "fsroot.h"

struct hwmon_sensor {
	char path[128]; /* the *_input (or thermal zone temp) file, relative to the sysfs root */
	struct sample_temp meta;
};

struct hwmon_fan {
	char input[128]; /* fanN_input, relative to the sysfs root */
	struct sample_fan meta;
};

/* A power sensor that is one of the machine's rails (Apple's SMC under Asahi Linux). */
struct hwmon_rail {
	char path[128]; /* power*_input, microwatts */
	enum rail rail;
};

#define HWMON_MAX_RAILS 8

struct hwmon {
	unsigned n;
	struct hwmon_sensor sensor[SAMPLE_MAX_TEMPS];
	unsigned nfans;
	struct hwmon_fan fan[SAMPLE_MAX_FANS]; /* the machine's fans (not a GPU driver's) */
	unsigned nrails;
	struct hwmon_rail rail[HWMON_MAX_RAILS];
};

/* Pure: what a sensor measures, from its chip's name file and its label.
 *   coretemp "Package id N" / "Physical id N"  -> cpu,  "Core N" -> cpu_core
 *   k10temp/zenpower "Tdie" -> cpu, "Tctl" -> cpu unless the chip also has Tdie (Tctl carries
 *   an offset on some parts), "Tccd*" -> cpu_core
 *   cpu_thermal / cpu-thermal (ARM boards) -> cpu
 *   amdgpu "edge"/"junction" -> gpu, "mem" -> memory
 * has_tdie tells whether the chip has a Tdie sensor. */
enum temp_kind hwmon_classify(const char *chip_name, const char *label, bool has_tdie);

/* Pure: the rail an Apple SMC power sensor measures, from the label its device tree gives
 * (macsmc_hwmon): "Total System Power" (PSTR) -> system, "Heatpipe Power" (PHPC, the SMC's
 * estimate of the heat the SoC gives off) -> package, a label naming the CPU, GPU, ANE or DRAM
 * -> that rail; -1 for the others (AC input, rails of the board). */
int hwmon_smc_rail(const char *label);

/* Pure: node_exporter's stable chip id from where the hwmon device link points: "<parent
 * directory>_<device>" with non [A-Za-z0-9_] replaced ("platform_coretemp_0"); "" if none. */
void hwmon_chip_id(const char *device_path, char *out, size_t size);

/* Finds the sensors once: every hwmon temp*_input, then every thermal zone (a zone counts as
 * the CPU temperature only when hwmon has no CPU sensor); and every fan*_input with its
 * fan*_min and fan*_max (read once), except those of GPU drivers, which belong to their GPU. */
unsigned hwmon_open(struct hwmon *h, const struct fsroot *sys);

/* Reads every sensor into s->temps (NAN where a read fails) and every fan into s->fans; notes
 * "temps" and "fans" when there are none. Rails found among the power sensors fill the rails
 * the sample does not know yet. */
void hwmon_read(const struct hwmon *h, const struct fsroot *sys, struct sample *s);

#endif
