/* apple_machine.c - the synthetic Mac of apple_machine.h */
#include "apple_machine.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

void machine_init(struct machine *m, const char *chip, const char *os)
{
	memset(m, 0, sizeof *m);
	snprintf(m->h.chip, sizeof m->h.chip, "%s", chip);
	snprintf(m->h.os, sizeof m->h.os, "%s", os);
	m->h.ncpu = 1;
	m->h.gpu_cores = 10;
	m->h.tb_numer = 125;
	m->h.tb_denom = 3;
	m->h.memsize = NAN;
	apple_reading_init(&m->r[0]);
	m->r[0].mach_time = m->r[0].ior.mach_time = 1000 * TICKS_PER_S;
	assert_int_equal(apple_reading_set_ncpu(&m->r[0], 1), 0);
	m->n = 1;
}

void machine_free(struct machine *m)
{
	for (unsigned i = 0; i < m->n; i++)
		apple_reading_free(&m->r[i]);
	if (m->decoding)
		apple_decoder_free(&m->d);
}

struct apple_reading *machine_step(struct machine *m, double secs, double cpu_busy)
{
	struct apple_reading *r, *p;
	uint32_t total = (uint32_t)llround(secs * 100), busy = (uint32_t)llround(total * cpu_busy);

	assert_true(m->n < MACHINE_MAX);
	p = &m->r[m->n - 1];
	r = &m->r[m->n++];
	apple_reading_init(r);
	assert_int_equal(apple_reading_copy(r, p), 0);
	r->mach_time = r->ior.mach_time = p->mach_time + (uint64_t)llround(secs * TICKS_PER_S);
	r->ticks[0][APPLE_TICK_USER] += busy;
	r->ticks[0][APPLE_TICK_IDLE] += total - busy;
	machine_gpu(m, r, 0);
	return r;
}

static struct ior_channel *energy(struct apple_reading *r, const char *name)
{
	for (size_t i = 0; i < r->ior.n; i++)
		if (!strcmp(r->ior.ch[i].group, "Energy Model") && !strcmp(r->ior.ch[i].name, name))
			return &r->ior.ch[i];
	return NULL;
}

void machine_energy(struct apple_reading *r, const char *name, const char *unit, int64_t value,
                    uint64_t ts)
{
	struct ior_channel *c = energy(r, name);

	if (!c)
		c = ior_add(&r->ior, "Energy Model", "", name, unit, IOR_SIMPLE);
	assert_non_null(c);
	c->value = value;
	c->ts = ts;
}

void machine_add(struct apple_reading *r, const char *name, int64_t delta, bool stamp)
{
	struct ior_channel *c = energy(r, name);

	assert_non_null(c);
	c->value += delta;
	if (stamp)
		c->ts = r->mach_time;
}

void machine_gpu(struct machine *m, struct apple_reading *r, double busy)
{
	struct ior_channel *c = NULL;
	const struct apple_reading *p = r == &m->r[0] ? NULL : r - 1;
	double secs = p ? (double)(r->mach_time - p->mach_time) / TICKS_PER_S : 0;

	for (size_t i = 0; i < r->ior.n; i++)
		if (!strcmp(r->ior.ch[i].name, "GPUPH"))
			c = &r->ior.ch[i];
	if (!c) {
		c = ior_add(&r->ior, "GPU Stats", "GPU Performance States", "GPUPH", "24Mticks",
		            IOR_STATE);
		assert_non_null(c);
		assert_int_equal(ior_add_states(c, 2), 0);
		snprintf(c->states[0].name, sizeof c->states[0].name, "OFF");
		snprintf(c->states[1].name, sizeof c->states[1].name, "P1");
	}
	/* the previous reading's residencies plus this window's */
	if (p)
		for (size_t i = 0; i < p->ior.n; i++)
			if (!strcmp(p->ior.ch[i].name, "GPUPH")) {
				c->states[0].residency = p->ior.ch[i].states[0].residency;
				c->states[1].residency = p->ior.ch[i].states[1].residency;
			}
	c->states[0].residency += (int64_t)llround(secs * 24e6 * (1 - busy));
	c->states[1].residency += (int64_t)llround(secs * 24e6 * busy);
}

void machine_ane_floor(struct machine *m, struct apple_reading *r, double busy)
{
	static const char *const states[] = { "VMIN", "VNOM", "VOVD2" };
	struct ior_channel *c = NULL;
	const struct apple_reading *p = r == &m->r[0] ? NULL : r - 1;
	double secs = p ? (double)(r->mach_time - p->mach_time) / TICKS_PER_S : 0;

	for (size_t i = 0; i < r->ior.n; i++)
		if (!strcmp(r->ior.ch[i].name, "ANE-AF-BW"))
			c = &r->ior.ch[i];
	if (!c) {
		c = ior_add(&r->ior, "PMP", "SOC Floor", "ANE-AF-BW", "ns", IOR_STATE);
		assert_non_null(c);
		assert_int_equal(ior_add_states(c, 3), 0);
		for (unsigned k = 0; k < 3; k++)
			snprintf(c->states[k].name, sizeof c->states[k].name, "%s", states[k]);
	}
	if (p)
		for (size_t i = 0; i < p->ior.n; i++)
			if (!strcmp(p->ior.ch[i].name, "ANE-AF-BW"))
				for (unsigned k = 0; k < 3; k++)
					c->states[k].residency = p->ior.ch[i].states[k].residency;
	/* a constant-rate residency: idle in the floor state, busy above it */
	c->states[0].residency += (int64_t)llround(secs * 1e9 * (1 - busy));
	c->states[2].residency += (int64_t)llround(secs * 1e9 * busy);
}

void machine_decode(struct machine *m, unsigned i, struct sample *out)
{
	if (!m->decoding) {
		assert_int_equal(apple_decoder_init(&m->d, &m->h, NULL), 0);
		m->decoding = true;
	}
	assert_true(i >= 1 && i < m->n);
	sample_reset(out);
	assert_int_equal(apple_decode(&m->d, &m->r[i - 1], &m->r[i], NULL, 0, out), 0);
}
