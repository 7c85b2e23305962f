/* dvfs.h - DVFS frequency tables from the IORegistry's pmgr node, and residency → MHz (pure) */
#ifndef AGTOP_DVFS_H
#define AGTOP_DVFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sample.h"
#include "ior.h"

#define DVFS_MAX_ENTRIES 64
#define DVFS_MAX_PROPS   96

/* A raw pmgr property: "voltage-states5-sram", "acc-clusters" and their bytes. */
struct pmgr_prop {
	char key[48];
	uint8_t *data;
	size_t len;
};

struct pmgr {
	unsigned n;
	struct pmgr_prop prop[DVFS_MAX_PROPS];
};

void pmgr_free(struct pmgr *p);
/* Adds a copy of a property; returns 0, -1 when full or out of memory. */
int pmgr_add(struct pmgr *p, const char *key, const uint8_t *data, size_t len);
const struct pmgr_prop *pmgr_get(const struct pmgr *p, const char *key);

struct dvfs_table {
	char key[48];
	unsigned n;
	double hz[DVFS_MAX_ENTRIES]; /* entry 0 of a GPU table is the 0 Hz OFF slot */
	bool khz;                    /* the table was stored in kHz (M4 and later CPU tables) */
};

/* Decodes 8-byte records {u32 LE frequency, u32 LE voltage}. The unit is decided per table by
 * magnitude: a largest value of 1e8 or more is Hz (M1-M3 CPU tables, every GPU table), below
 * that kHz (M4 and M5 CPU tables: a u32 in Hz cannot reach 4.3 GHz). A table whose non-zero
 * entries are not all between 50 MHz and 6 GHz is refused: the plain (non -sram) CPU keys hold
 * clock periods (65536e9 / f), not frequencies. Returns 0 or -1. */
int dvfs_parse(const uint8_t *bytes, size_t len, const char *key, struct dvfs_table *out);

/* What the state residencies of one channel say: the residency-weighted mean frequency over
 * the active states and the active share of all time.
 *   inactive states: IDLE, DOWN, OFF; active: "V<i>P<n>" (CPU: table entry i), "P<n>" (GPU:
 *   entry n of a table whose entry 0 is the OFF slot, else entry n-1), or a plain MHz number;
 *   other names count in the total only;
 *   an active state beyond the table is at the table's top entry (more states than entries is
 *   tolerated: the GPU of an M5 Max has 15 P-states for 13 frequencies);
 *   no active time: the lowest entry (the cluster is parked there), NAN without a table;
 *   no time at all: both NAN. */
void dvfs_residency(const struct ior_channel *c, const struct dvfs_table *t, double *freq_hz,
                    double *active);

/* Highest entry of a table, NAN for none. */
double dvfs_max_hz(const struct dvfs_table *t);

/* Clusters as the decoder knows them, in OS order (tier ascending) per die. */
struct dvfs_cluster {
	enum cluster_kind kind;
	int die;
	unsigned states; /* active states in its channels (for matching a table by length) */
};

/* Parsed tables and which one each cluster uses. */
struct dvfs_set {
	unsigned ntables;
	struct dvfs_table table[32];
	const struct dvfs_table *gpu;
	const struct dvfs_table *cluster[SAMPLE_MAX_CLUSTERS];
	char why[160]; /* when a table is missing: which key */
};

/* Parses every voltage-states* property, picks the GPU table (voltage-states9-sram, else
 * voltage-states9) and one table per cluster:
 *   acc-clusters (M5: 8-byte records, byte 0 the table number, byte 1 the tier), only where it
 *   matches the channels: one record per cluster on every die, each table as long as its
 *   cluster's active states; the clusters of a die in tier order take the records in tier order;
 *   else M1-M4's keys: efficiency voltage-states1-sram, performance and super
 *   voltage-states5-sram;
 *   every time, the table's length against the cluster's active states: a table of another
 *   length gives way to a -sram table (not the GPU's) whose length matches, where there is one
 *   (and a key that is missing likewise). */
void dvfs_pick(const struct pmgr *p, const struct dvfs_cluster *cl, unsigned ncl,
               struct dvfs_set *out);

/* "1a2b" hex text ↔ bytes (dumps store pmgr data this way). -1 on bad hex. */
int hex_decode(const char *hex, uint8_t **out, size_t *len);
char *hex_encode(const uint8_t *data, size_t len);

#endif
