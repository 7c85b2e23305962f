/* test_macos_ledger.c - who spends the Mac (issue 15, macOS): each process's GPU time from the
 * accelerator's user clients and its energy from proc_pid_rusage, through the real macOS
 * source on the fakes (which follow xnu's permission rules: another user's energy is refused,
 * everyone's GPU time is readable), and the battery, the whole machine's power, the fans and the
 * throttle causes; then the decoder's rules on synthetic readings. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apple/decode.h"
#include "apple/dump.h"
#include "apple_machine.h"
#include "fake_apple.h"
#include "procfield.h"
#include "procsel.h"
#include "source/macos/macos_source.h"

static void load(const char *name, const struct fake_apple_opts *opts)
{
	char path[512];
	struct error err;

	snprintf(path, sizeof path, "%s/tests/dumps/%s.json", AGTOP_SOURCE_DIR, name);
	if (fake_apple_load(path, opts, &err))
		fail_msg("%s: %s", path, err.msg);
}

struct run {
	struct source src;
	unsigned n;
	struct sample s[8];
};

static void run_all(struct run *l)
{
	struct options o;
	struct error err;

	memset(&o, 0, sizeof o);
	o.interval = 1;
	memset(l, 0, sizeof *l);
	l->src.ops = &ioreport_source;
	if (l->src.ops->open(&l->src, &o, &err))
		fail_msg("open: %s", err.msg);
	l->n = fake_apple_dump()->nreadings - 1;
	for (unsigned i = 0; i < l->n; i++) {
		fake_apple_advance();
		sample_init(&l->s[i]);
		if (l->src.ops->read(&l->src, &l->s[i], &err) != SOURCE_SAMPLE)
			fail_msg("read %u: %s", i, err.msg);
	}
}

static void run_close(struct run *l)
{
	const char *leaks;

	l->src.ops->close(&l->src);
	leaks = fake_apple_leaks();
	if (leaks[0])
		fail_msg("the macOS source left these behind:\n%s", leaks);
	for (unsigned i = 0; i < l->n; i++)
		sample_free(&l->s[i]);
	fake_apple_unload();
}

static const struct sample_proc *proc(const struct sample *s, int pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	fail_msg("no process %d", pid);
	return NULL;
}

/* The M4 Max as uid 501: GPU time is summed over every AppUsage entry of every client a process
 * holds (WindowServer has two clients, one with two entries) and is readable for root's and
 * other users' processes too; a process without a client used no GPU; one whose client never
 * submitted (launchd) neither. */
static void gpu_time_of_every_process_without_sudo(void **state)
{
	struct run l;

	(void)state;
	load("m4max", NULL);
	run_all(&l);
	assert_int_equal(l.n, 2);
	for (unsigned i = 0; i < l.n; i++) {
		assert_float_equal(proc(&l.s[i], 501)->gpu_util, 0.85, 1e-9);
		assert_float_equal(proc(&l.s[i], 155)->gpu_util, 0.05, 1e-9); /* uid 88 */
		assert_float_equal(proc(&l.s[i], 1)->gpu_util, 0, 0);
		assert_float_equal(proc(&l.s[i], 0)->gpu_util, 0, 0);
		/* macOS gives no per-process GPU memory: unknown, with the reason */
		assert_true(isnan(proc(&l.s[i], 501)->gpu_mem_bytes));
		assert_non_null(sample_note_get(&l.s[i], "processes.gpu_mem"));
	}
	run_close(&l);
}

/* Energy from ri_energy_nj for this user's processes (python3 7 W, zsh 10 mW), counted from
 * when agtop started; another user's process is refused (EPERM): N/A, never 0. Neural engine
 * memory from ri_neural_footprint. */
static void energy_of_own_processes_and_na_for_others(void **state)
{
	struct run l;

	(void)state;
	load("m4max", NULL);
	run_all(&l);
	assert_float_equal(proc(&l.s[0], 501)->energy_w, 7.0, 1e-9);
	assert_float_equal(proc(&l.s[0], 501)->energy_j, 7.0, 1e-9);
	assert_float_equal(proc(&l.s[1], 501)->energy_j, 14.0, 1e-9);
	assert_float_equal(proc(&l.s[1], 400)->energy_w, 0.01, 1e-12);
	assert_float_equal(proc(&l.s[1], 400)->energy_j, 0.02, 1e-12);
	assert_float_equal(proc(&l.s[0], 501)->ane_mem_bytes, 268435456.0, 0);
	assert_float_equal(proc(&l.s[0], 400)->ane_mem_bytes, 0, 0);
	for (unsigned i = 0; i < l.n; i++) {
		const struct sample_proc *ws = proc(&l.s[i], 155), *k = proc(&l.s[i], 0);
		assert_true(isnan(ws->energy_w) && isnan(ws->energy_j) && isnan(ws->ane_mem_bytes));
		assert_true(isnan(k->energy_w));
	}
	run_close(&l);
}

/* On battery: AppleSmartBattery's current x voltage is what it gives (5.308 A x 11.586 V), the
 * time to empty only once macOS has one (65535 = not yet), the SMC's two fans, the adapter's
 * DC-in at 0 W; the low power mode read under "Battery Power" (the fake puts the opposite
 * under "AC Power"), and moderate thermal pressure with it makes two causes. */
static void battery_fans_and_throttle_on_battery(void **state)
{
	struct run l;
	const struct sample *a, *b;

	(void)state;
	load("m4max", NULL);
	run_all(&l);
	a = &l.s[0];
	b = &l.s[1];
	assert_true(a->battery.present);
	assert_float_equal(a->battery.percent, 80, 0);
	assert_int_equal(a->battery.state, BATTERY_DISCHARGING);
	assert_int_equal(a->battery.on_ac, 0);
	assert_float_equal(a->battery.power_w, 5.308 * 11.586, 1e-9);
	assert_true(isnan(a->battery.time_to_empty_s));
	assert_float_equal(b->battery.time_to_empty_s, 149 * 60, 0);
	assert_true(isnan(a->battery.adapter_w));
	assert_float_equal(a->input_w, 0, 0);
	assert_string_equal(a->system_from, "SMC PSTR");
	assert_float_equal(a->power[RAIL_SYSTEM].watts, 61.5, 1e-9);
	assert_int_equal(a->nfans, 2);
	assert_string_equal(a->fans[0].name, "F0");
	assert_float_equal(a->fans[0].rpm, 2410.5, 1e-3);
	assert_float_equal(a->fans[0].min_rpm, 1200, 1e-3);
	assert_float_equal(a->fans[1].max_rpm, 6150, 1e-3);
	assert_float_equal(b->fans[1].rpm, 3905.5, 1e-3);
	assert_true(a->throttle.known);
	assert_int_equal(a->throttle.causes, 0);
	assert_int_equal(a->throttle.low_power, 0);
	/* Apple Silicon has no CPU speed limit to give (kIOReturnNotFound) */
	assert_true(isnan(a->throttle.cpu_speed_limit));
	assert_int_equal(b->throttle.low_power, 1);
	assert_int_equal(b->throttle.causes, 1u << THROTTLE_THERMAL | 1u << THROTTLE_LOW_POWER);
	run_close(&l);
}

static int row_pid(const struct sample *s, const struct procsel_rows *r, size_t i)
{
	return s->procs[r->row[i].idx].pid;
}

/* The process panel's order by GPU%, watts and joules (issue 15): python3, the busiest on
 * both; WindowServer next on the GPU; on power zsh, then the processes macOS withholds it for,
 * last either way. */
static void process_panel_sorts_by_gpu_and_power(void **state)
{
	struct run l;
	struct procsel_rows rows = { 0 };
	const struct sample *s;

	(void)state;
	load("m4max", NULL);
	run_all(&l);
	s = &l.s[1];
	assert_int_equal(procsel_order(s, NULL, PF_GPU, true, false, &rows), 0);
	assert_int_equal(row_pid(s, &rows, 0), 501);
	assert_int_equal(row_pid(s, &rows, 1), 155);
	assert_int_equal(procsel_order(s, NULL, PF_POWER, true, false, &rows), 0);
	assert_int_equal(row_pid(s, &rows, 0), 501);
	assert_int_equal(row_pid(s, &rows, 1), 400);
	for (size_t i = 2; i < rows.n; i++)
		assert_true(isnan(s->procs[rows.row[i].idx].energy_w));
	/* unknown stays last ascending too */
	assert_int_equal(procsel_order(s, NULL, PF_ENERGY, false, false, &rows), 0);
	assert_int_equal(row_pid(s, &rows, 0), 400);
	assert_int_equal(row_pid(s, &rows, 1), 501);
	procsel_rows_free(&rows);
	run_close(&l);
}

/* An M1 on its 140 W adapter, charged, whose SMC has no PSTR: the whole machine from the
 * battery's power telemetry (SystemLoad 7455 mW), the adapter's input from SystemPowerIn. */
static void machine_power_from_telemetry_without_pstr(void **state)
{
	struct run l;
	const struct sample *s;

	(void)state;
	load("m1", NULL);
	run_all(&l);
	s = &l.s[0];
	assert_string_equal(s->system_from, "power telemetry");
	assert_float_equal(s->power[RAIL_SYSTEM].watts, 7.455, 1e-12);
	assert_float_equal(s->input_w, 7.455, 1e-12);
	assert_int_equal(s->battery.state, BATTERY_FULL);
	assert_int_equal(s->battery.on_ac, 1);
	assert_float_equal(s->battery.adapter_w, 140, 0);
	assert_float_equal(s->battery.power_w, 0, 0);
	assert_int_equal(s->nfans, 1);
	assert_float_equal(s->fans[0].rpm, 1199.5, 1e-3);
	/* the package and DRAM rails are known: the rest of the machine is the difference */
	assert_false(isnan(sample_power_other_w(s)));
	run_close(&l);
}

/* An Intel-style speed limit where the machine keeps one: 80 % is a cause. */
static void cpu_speed_limit_where_the_mac_keeps_one(void **state)
{
	struct run l;
	struct apple_dump *d;

	(void)state;
	load("m4max", NULL);
	d = fake_apple_dump_edit();
	for (unsigned i = 0; i < d->nreadings; i++)
		d->reading[i].speed_limit = 80;
	run_all(&l);
	assert_float_equal(l.s[0].throttle.cpu_speed_limit, 80, 0);
	assert_true(l.s[0].throttle.causes & (1u << THROTTLE_SPEED_LIMIT));
	run_close(&l);
}

/* ---- the decoder's rules ---- */

static void battery_states_and_capacities(void **state)
{
	struct apple_battery b;
	struct sample s;

	(void)state;
	sample_init(&s);
	apple_battery_init(&b);
	apple_decode_battery(&b, &s.battery);
	assert_false(s.battery.present);

	/* charging: the average time to full; current into the battery is negative power */
	b.present = true;
	b.current_capacity = 41;
	b.max_capacity = 100;
	b.is_charging = 1;
	b.external_connected = 1;
	b.avg_time_to_full = 95;
	b.time_remaining = 95;
	b.amperage = 3000;
	b.voltage = 12000;
	b.adapter_watts = 96;
	apple_decode_battery(&b, &s.battery);
	assert_int_equal(s.battery.state, BATTERY_CHARGING);
	assert_float_equal(s.battery.percent, 41, 0);
	assert_float_equal(s.battery.time_to_full_s, 95 * 60, 0);
	assert_true(isnan(s.battery.time_to_empty_s));
	assert_float_equal(s.battery.power_w, -36, 1e-12);
	assert_float_equal(s.battery.adapter_w, 96, 0);

	/* on the adapter but not charging (held at 80 %, optimised charging) */
	sample_reset(&s);
	b.is_charging = 0;
	b.fully_charged = 0;
	b.amperage = 0;
	apple_decode_battery(&b, &s.battery);
	assert_int_equal(s.battery.state, BATTERY_NOT_CHARGING);

	/* Intel Macs give mAh: 4000 of 5000 is 80 % */
	sample_reset(&s);
	b.current_capacity = 4000;
	b.max_capacity = 5000;
	apple_decode_battery(&b, &s.battery);
	assert_float_equal(s.battery.percent, 80, 1e-12);
	sample_free(&s);
}

static struct apple_proc *add_proc(struct apple_reading *r, int pid, uint64_t start)
{
	struct apple_proc *p = apple_reading_add_proc(r);

	p->pid = pid;
	p->ppid = 1;
	p->start = start;
	p->task = true;
	snprintf(p->name, sizeof p->name, "p%d", pid);
	r->have_procs = true;
	r->have_gpu_clients = true;
	return p;
}

/* A client that closed takes its GPU time with it: that interval has no rate, never a negative
 * one. A pid reused by a new process starts its energy from 0; a process that started in the
 * interval has all its counters in it. */
static void ledger_client_resets_and_reused_pids(void **state)
{
	struct machine m;
	struct apple_reading *r;
	struct apple_proc *p;
	struct sample s;

	(void)state;
	sample_init(&s);
	machine_init(&m, "Apple M3", "macOS 14.6");
	p = add_proc(&m.r[0], 300, 10);
	p->gpu = true;
	p->gpu_ns = 4000000000ull;
	p->rusage = true;
	p->energy_nj = 50000000000ull;

	r = machine_step(&m, 1.0, 0.2);
	r->procs[0].gpu_ns += 250000000;     /* 25 % of the GPU */
	r->procs[0].energy_nj += 2000000000; /* 2 W */
	add_proc(r, 301, 20)->gpu = false;   /* started during the interval, no client */
	machine_decode(&m, 1, &s);
	assert_float_equal(s.procs[0].gpu_util, 0.25, 1e-12);
	assert_float_equal(s.procs[0].energy_w, 2, 1e-12);
	assert_float_equal(s.procs[0].energy_j, 2, 1e-12);
	assert_float_equal(s.procs[1].gpu_util, 0, 0);

	r = machine_step(&m, 1.0, 0.2);
	r->procs[0].gpu_ns -= 100000000; /* a client closed */
	r->procs[0].energy_nj += 1000000000;
	machine_decode(&m, 2, &s);
	assert_true(isnan(s.procs[0].gpu_util));
	assert_float_equal(s.procs[0].energy_j, 3, 1e-12);

	/* pid 300 reused by another process: its own counters from 0 */
	r = machine_step(&m, 1.0, 0.2);
	r->procs[0].start = 99;
	r->procs[0].gpu_ns = 100000000;
	r->procs[0].energy_nj = 500000000;
	machine_decode(&m, 3, &s);
	assert_float_equal(s.procs[0].energy_j, 0.5, 1e-12);
	assert_float_equal(s.procs[0].energy_w, 0.5, 1e-12);
	assert_float_equal(s.procs[0].gpu_util, 0.1, 1e-12);
	/* before macOS 15 the neural footprint field is reserved: unknown, not 0 */
	assert_true(isnan(s.procs[0].ane_mem_bytes));
	sample_free(&s);
	machine_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gpu_time_of_every_process_without_sudo),
		cmocka_unit_test(energy_of_own_processes_and_na_for_others),
		cmocka_unit_test(battery_fans_and_throttle_on_battery),
		cmocka_unit_test(process_panel_sorts_by_gpu_and_power),
		cmocka_unit_test(machine_power_from_telemetry_without_pstr),
		cmocka_unit_test(cpu_speed_limit_where_the_mac_keeps_one),
		cmocka_unit_test(battery_states_and_capacities),
		cmocka_unit_test(ledger_client_resets_and_reused_pids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
