/* test_macos_fakes.c - the real macOS source (src/source/macos) run end to end on Linux against
 * the fakes of CoreFoundation, IOKit, IOReport, Mach, sysctl, libproc and notify in
 * tests/fakes, serving the dumps of five chips. What the live source reads must decode to
 * exactly what the dump decodes to, and it must release everything it created. */
#include "testutil.h"

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apple/decode.h"
#include "apple/dump.h"
#include "fake_apple.h"
#include "source/macos/apple_sys.h"
#include "source/macos/macos_source.h"

#define MHZ 1e6

static void dump_path(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/tests/dumps/%s.json", AGTOP_SOURCE_DIR, name);
}

static void load(const char *name, const struct fake_apple_opts *opts)
{
	char path[512];
	struct error err;

	dump_path(name, path, sizeof path);
	if (fake_apple_load(path, opts, &err))
		fail_msg("%s: %s", path, err.msg);
}

static void no_leaks(void)
{
	struct fake_apple_stats st;
	const char *leaks = fake_apple_leaks();

	if (leaks[0])
		fail_msg("the macOS source left these behind:\n%s", leaks);
	fake_apple_stats(&st);
	assert_int_equal(st.cf_live, 0);
	assert_int_equal(st.io_live, 0);
	assert_int_equal(st.ports_live, 0);
	assert_int_equal(st.vm_live, 0);
	assert_int_equal(st.notify_live, 0);
}

/* Runs fn in a child and returns what it wrote to stderr; the child must die of SIGABRT. */
static char *dies(void (*fn)(void))
{
	int fd[2];
	pid_t pid;
	int status;
	char *buf = calloc(1, 4096);
	size_t n = 0;
	ssize_t k;

	assert_non_null(buf);
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		fn();
		_exit(0);
	}
	close(fd[1]);
	while (n < 4095 && (k = read(fd[0], buf + n, 4095 - n)) > 0)
		n += (size_t)k;
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	return buf;
}

static void release_twice(void)
{
	const void *s = fake_cf_string("x");
	CFRelease(s);
	CFRelease(s);
}

static void use_after_release(void)
{
	const void *s = fake_cf_string("gone");
	char buf[8];
	CFRelease(s);
	CFStringGetCString(s, buf, sizeof buf, kCFStringEncodingUTF8);
}

static void io_release_twice(void)
{
	io_service_t svc =
	    IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("AGXAccelerator"));
	IOObjectRelease(svc);
	IOObjectRelease(svc);
}

static void port_twice(void)
{
	mach_port_t h = mach_host_self();
	mach_port_deallocate(mach_task_self(), h);
	mach_port_deallocate(mach_task_self(), h);
}

/* The fakes themselves: a leak is reported by kind and content, a double release or a use
 * after release aborts with a message. */
static void test_fakes_catch_misuse(void **state)
{
	const void *s;
	io_service_t svc;
	char *msg;

	(void)state;
	load("m1", NULL);
	s = fake_cf_string("leaked on purpose");
	assert_non_null(strstr(fake_apple_leaks(), "CFString rc=1 \"leaked on purpose\""));
	CFRelease(s);
	assert_string_equal(fake_apple_leaks(), "");

	svc = IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("AGXAccelerator"));
	assert_true(svc != 0);
	assert_non_null(strstr(fake_apple_leaks(), "io_service_t AGXAcceleratorG16X rc=1"));
	IOObjectRelease(svc);
	assert_string_equal(fake_apple_leaks(), "");

	msg = dies(release_twice);
	assert_non_null(strstr(msg, "released once too often"));
	free(msg);
	msg = dies(use_after_release);
	assert_non_null(strstr(msg, "used after its last CFRelease"));
	free(msg);
	msg = dies(io_release_twice);
	assert_non_null(strstr(msg, "used after its last release"));
	free(msg);
	msg = dies(port_twice);
	assert_non_null(strstr(msg, "not a host port right"));
	free(msg);
	fake_apple_unload();
}

/* ---- the live source against the dump's own decoding ---- */

struct live {
	struct source src;
	unsigned n;
	struct sample s[4];
};

static void live_run(const char *name, const struct fake_apple_opts *opts, struct live *l)
{
	struct options o;
	struct error err;

	memset(&o, 0, sizeof o);
	o.interval = 1;
	load(name, opts);
	memset(l, 0, sizeof *l);
	l->src.ops = &ioreport_source;
	if (l->src.ops->open(&l->src, &o, &err))
		fail_msg("%s: open: %s", name, err.msg);
	l->n = fake_apple_dump()->nreadings - 1;
	for (unsigned i = 0; i < l->n; i++) {
		fake_apple_advance();
		sample_init(&l->s[i]);
		if (l->src.ops->read(&l->src, &l->s[i], &err) != SOURCE_SAMPLE)
			fail_msg("%s: read %u: %s", name, i, err.msg);
		assert_int_equal(l->s[i].seq, i + 1);
		assert_string_equal(l->s[i].source, "ioreport");
	}
}

/* Closes the source and checks that everything it created was released. */
static void live_close(struct live *l)
{
	l->src.ops->close(&l->src);
	no_leaks();
	for (unsigned i = 0; i < l->n; i++)
		sample_free(&l->s[i]);
	fake_apple_unload();
}

static void decode_dump(const char *path, unsigned i, struct sample *out)
{
	struct apple_dump d;
	struct apple_decoder dec;
	struct error err;

	apple_dump_init(&d);
	if (apple_dump_load(path, &d, &err))
		fail_msg("%s: %s", path, err.msg);
	assert_int_equal(apple_decoder_init(&dec, &d.host, &d.pmgr), 0);
	sample_init(out);
	for (unsigned k = 0; k <= i; k++) {
		sample_reset(out);
		assert_int_equal(
		    apple_decode(&dec, &d.reading[k], &d.reading[k + 1], d.group, d.ngroups, out),
		    0);
	}
	apple_decoder_free(&dec);
	apple_dump_free(&d);
}

/* The live sample equals the dump's decoding in every field but the wall clock and the run's
 * own bookkeeping. */
static void same_as_dump(const char *path, const struct sample *live, unsigned i)
{
	struct sample want;

	decode_dump(path, i, &want);
	want.time = live->time;
	want.seq = live->seq;
	memcpy(want.source, live->source, sizeof want.source);
	/* user names come from this machine's password database, not from the readings */
	for (size_t k = 0; k < want.nprocs && k < live->nprocs; k++) {
		if (want.procs[k].uid == 0)
			assert_string_equal(live->procs[k].user, "root");
		memcpy(want.procs[k].user, live->procs[k].user, sizeof want.procs[k].user);
	}
	if (!sample_equal(&want, live))
		fail_msg("%s: sample %u of the live source differs from the dump's decoding", path,
		         i);
	sample_free(&want);
}

static void near(double got, double want, const char *what)
{
	if (!(fabs(got - want) <= 0.01 * fabs(want)))
		fail_msg("%s: got %.6g, want %.6g (1 %%)", what, got, want);
}

/* Channels the source must never subscribe to, though every inventory lists them. */
static void subscribed_only_wanted(void)
{
	const char *sub = fake_apple_subscribed();
	static const char *const never[] = { "/ECPUDTL00\n", "/PCPU1DTL3e\n", "/ISP\n", "/AVE0\n",
		                             "/DIE_0_EACC_CPU0\n" };
	char line[256];
	const char *p = sub;

	assert_true(sub[0] != '\0');
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
		assert_null(strstr(sub, never[i]));
	while (*p) {
		const char *nl = strchr(p, '\n');
		char *g, *sg, *name;
		assert_non_null(nl);
		snprintf(line, sizeof line, "%.*s", (int)(nl - p), p);
		g = line;
		sg = strchr(g, '/');
		assert_non_null(sg);
		*sg++ = '\0';
		name = strchr(sg, '/');
		assert_non_null(name);
		*name++ = '\0';
		if (!apple_channel_wanted(g, sg, name))
			fail_msg("subscribed to %s/%s/%s", g, sg, name);
		p = nl + 1;
	}
}

struct chip_check {
	const char *dump;
	unsigned hid_clients; /* 1 where the SMC gives no temperature (the M3 Pro capture) */
	unsigned subscriptions;
	unsigned probes; /* samples taken at open to see whether AMC Stats has data */
	const char *cluster;
	double mhz; /* of that cluster in the first sample, NAN: not checked */
};

static void run_chip(const struct chip_check *c)
{
	struct live l;
	struct fake_apple_stats st;
	char path[512];

	live_run(c->dump, NULL, &l);
	dump_path(c->dump, path, sizeof path);
	for (unsigned i = 0; i < l.n; i++)
		same_as_dump(path, &l.s[i], i);
	if (!isnan(c->mhz))
		near(sample_cluster_named(&l.s[0], c->cluster)->freq_hz, c->mhz * MHZ, c->cluster);
	else
		sample_cluster_named(&l.s[0], c->cluster); /* the cluster is there */
	subscribed_only_wanted();
	fake_apple_stats(&st);
	assert_int_equal(st.hid_clients, c->hid_clients);
	assert_int_equal(st.subscriptions, c->subscriptions);
	/* one sample per subscription per reading: the priming one and one per read */
	assert_int_equal(st.samples, c->subscriptions * (l.n + 1) + c->probes);
	assert_int_equal(st.waits, 0);
	assert_int_equal(st.smc_unwanted, 0); /* ui16, sp78 and battery keys left alone */
	live_close(&l);
}

static void test_live_m1(void **state)
{
	const struct chip_check c = { "m1", 0, 4, 0, "E-CPU", 1022.87 };
	(void)state;
	run_chip(&c);
}

static void test_live_m1ultra(void **state)
{
	/* its captures hold no temperature: the SMC lists no key of a shown family, so HID is
	 * tried, once */
	const struct chip_check c = { "m1ultra", 1, 4, 0, "P0-CPU", 3226 };
	struct live l;
	(void)state;
	run_chip(&c);
	/* both dies, summed where a panel shows a total */
	live_run("m1ultra", NULL, &l);
	assert_int_equal(l.s[0].ndies, 2);
	near(l.s[0].power[RAIL_CPU].watts,
	     l.s[0].dies[0].rail[RAIL_CPU].watts + l.s[0].dies[1].rail[RAIL_CPU].watts, "CPU W");
	live_close(&l);
}

static void test_live_m3pro(void **state)
{
	const struct chip_check c = { "m3pro", 1, 5, 1, "E-CPU", 2079 };
	struct live l;
	(void)state;
	run_chip(&c);
	/* temperatures through IOHID: the client is created once, not per reading */
	live_run("m3pro", NULL, &l);
	assert_true(l.s[0].ntemps > 0);
	assert_true(sample_temp_max(&l.s[0], TEMP_CPU) > 20);
	live_close(&l);
}

static void test_live_m4max(void **state)
{
	const struct chip_check c = { "m4max", 0, 5, 0, "P1-CPU", NAN };
	struct live l;
	(void)state;
	run_chip(&c);
	live_run("m4max", NULL, &l);
	/* AMC Stats refuses: its own metrics go, with the reason; PMP gives an estimate */
	assert_non_null(strstr(sample_note_get(&l.s[0], "ioreport.AMC Stats"),
	                       "IOReportCreateSubscription returned NULL"));
	assert_int_equal(l.s[0].bandwidth.quality, BW_ESTIMATED);
	near(l.s[0].bandwidth.total_bps, 21e9, "PMP bandwidth");
	near(l.s[0].gpus[0].freq_hz, 338 * MHZ, "GPU MHz");
	near(l.s[1].gpus[0].freq_hz, 1578 * MHZ, "GPU MHz at load");
	near(l.s[0].power[RAIL_SYSTEM].watts, 61.5, "PSTR");
	assert_null(strstr(fake_apple_subscribed(), "AMC Stats/"));
	assert_non_null(strstr(fake_apple_subscribed(), "PMP/DCS BW/"));
	live_close(&l);
}

static void test_live_m5max(void **state)
{
	const struct chip_check c = { "m5max", 0, 5, 0, "S-CPU", 4608 };
	(void)state;
	run_chip(&c);
}

/* ---- variations of the machine ---- */

static void test_no_pmgr(void **state)
{
	const struct fake_apple_opts opts = { .no_pmgr = true };
	struct live l;

	(void)state;
	live_run("m1", &opts, &l);
	assert_true(isnan(sample_cluster_named(&l.s[0], "E-CPU")->freq_hz));
	assert_true(isnan(l.s[0].gpus[0].freq_hz));
	assert_non_null(strstr(sample_note_get(&l.s[0], "cpu.freq"), "voltage-states"));
	/* what does not need the tables is still there */
	assert_false(isnan(sample_cluster_named(&l.s[0], "E-CPU")->active));
	assert_false(isnan(l.s[0].power[RAIL_CPU].watts));
	live_close(&l);
}

static void test_no_smc_falls_back_to_hid(void **state)
{
	const struct fake_apple_opts opts = { .no_smc = true };
	struct live l;
	struct fake_apple_stats st;

	(void)state;
	live_run("m1", &opts, &l);
	fake_apple_stats(&st);
	assert_int_equal(st.hid_clients, 1);
	assert_int_equal(st.smc_calls, 0);
	/* the M1 dump has SMC temperatures only: none now, and the reason says so */
	assert_int_equal(l.s[0].ntemps, 0);
	assert_non_null(sample_note_get(&l.s[0], "temps"));
	live_close(&l);
}

static void test_no_processes(void **state)
{
	const struct fake_apple_opts opts = { .no_processes = true };
	struct live l;

	(void)state;
	live_run("m4max", &opts, &l);
	assert_int_equal(l.s[0].nprocs, 0);
	assert_non_null(sample_note_get(&l.s[0], "processes"));
	assert_false(isnan(l.s[0].cpu_util));
	live_close(&l);
}

/* Command lines are read (KERN_PROCARGS2) only for the rows shown, or for all while a filter
 * needs them, and each once per process. */
static void test_cmdlines_on_demand(void **state)
{
	struct options o;
	struct error err;
	struct source src = { 0 }; /* stop and the rest NULL until set */
	struct sample s;
	struct fake_apple_stats st;
	const struct sample_proc *py = NULL;

	(void)state;
	memset(&o, 0, sizeof o);
	o.interval = 1;
	load("m4max", NULL);
	memset(&src, 0, sizeof src);
	src.ops = &ioreport_source;
	src.hint.rows = 1;
	src.hint.sort = PROC_SORT_CPU;
	assert_int_equal(src.ops->open(&src, &o, &err), 0);
	fake_apple_stats(&st);
	assert_int_equal(st.procargs, 0);

	fake_apple_advance();
	sample_init(&s);
	assert_int_equal(src.ops->read(&src, &s, &err), SOURCE_SAMPLE);
	fake_apple_stats(&st);
	assert_int_equal(st.procargs, 1); /* python3, the busiest */
	for (size_t i = 0; i < s.nprocs; i++) {
		if (s.procs[i].pid == 501)
			py = &s.procs[i];
		else
			assert_string_equal(sample_str(&s, s.procs[i].cmdline), "");
	}
	assert_non_null(py);
	assert_string_equal(sample_str(&s, py->cmdline), "python3 train.py");
	/* owner, state and start from proc_bsdinfo: pbi_uid, pbi_status SRUN, pbi_start_tvsec */
	assert_int_equal(py->uid, 501);
	assert_int_equal(py->state, 'R');
	assert_true(py->start_time == 5000.0);
	for (size_t i = 0; i < s.nprocs; i++)
		if (s.procs[i].pid ==
		    155) { /* another user's: its BSD info still names the owner */
			assert_int_equal(s.procs[i].uid, 88);
			assert_int_equal(s.procs[i].state, 'S');
		}

	/* a filter: every process, the one already read from the cache; root's and another
	 * user's are refused (KERN_PROCARGS2 is the caller's own processes' without root), once */
	src.hint.all = true;
	fake_apple_advance();
	sample_reset(&s);
	assert_int_equal(src.ops->read(&src, &s, &err), SOURCE_SAMPLE);
	fake_apple_stats(&st);
	assert_int_equal(st.procargs, 5); /* kernel_task, launchd, WindowServer, zsh */
	for (size_t i = 0; i < s.nprocs; i++)
		if (s.procs[i].pid == 400)
			assert_string_equal(sample_str(&s, s.procs[i].cmdline), "-zsh");
		else if (s.procs[i].pid != 501) /* another user's: no arguments, no retry */
			assert_string_equal(sample_str(&s, s.procs[i].cmdline), "");

	/* the next tick reads none again */
	sample_reset(&s);
	assert_int_equal(src.ops->read(&src, &s, &err), SOURCE_SAMPLE);
	fake_apple_stats(&st);
	assert_int_equal(st.procargs, 5);
	sample_free(&s);
	src.ops->close(&src);
	no_leaks();
	fake_apple_unload();
}

/* --dump-ioreport: two readings an interval apart, that decode as the machine's own. */
static void test_dump_ioreport_round_trip(void **state)
{
	static const char *const chips[] = { "m1", "m4max", "m5max" };
	char *dir = tmp_dir();

	(void)state;
	for (size_t c = 0; c < sizeof chips / sizeof chips[0]; c++) {
		struct options o;
		struct error err;
		struct fake_apple_stats st;
		struct sample got, want;
		char src_path[512];
		struct apple_dump d;

		memset(&o, 0, sizeof o);
		o.interval = 1;
		snprintf(o.dump_ioreport, sizeof o.dump_ioreport, "%s/%s.json", dir, chips[c]);
		load(chips[c], NULL);
		if (mac_dump_ioreport(&o, &err))
			fail_msg("%s: %s", chips[c], err.msg);
		fake_apple_stats(&st);
		assert_int_equal(st.waits, 1);
		no_leaks();
		fake_apple_unload();

		apple_dump_init(&d);
		if (apple_dump_load(o.dump_ioreport, &d, &err))
			fail_msg("%s: %s", o.dump_ioreport, err.msg);
		assert_int_equal(d.nreadings, 2);
		apple_dump_free(&d);
		decode_dump(o.dump_ioreport, 0, &got);
		dump_path(chips[c], src_path, sizeof src_path);
		decode_dump(src_path, 0, &want);
		want.time = got.time;
		if (!sample_equal(&want, &got))
			fail_msg("%s: the written dump decodes differently", chips[c]);
		sample_free(&got);
		sample_free(&want);
	}

	/* an unwritable path fails before sampling and leaves nothing */
	{
		struct options o;
		struct error err;
		struct fake_apple_stats st;

		memset(&o, 0, sizeof o);
		o.interval = 1;
		snprintf(o.dump_ioreport, sizeof o.dump_ioreport, "%s/no/such/dir/d.json", dir);
		load("m1", NULL);
		assert_int_equal(mac_dump_ioreport(&o, &err), -1);
		assert_non_null(strstr(err.msg, "cannot write --dump-ioreport file"));
		fake_apple_stats(&st);
		assert_int_equal(st.subscriptions, 0);
		no_leaks();
		fake_apple_unload();
	}

	/* a FIFO or a symlink at the path: refused before sampling, the link's target intact */
	{
		struct options o;
		struct error err;
		char fifo[600], link[600], victim[600], *text;

		memset(&o, 0, sizeof o);
		o.interval = 1;
		snprintf(fifo, sizeof fifo, "%s/fifo.json", dir);
		snprintf(link, sizeof link, "%s/link.json", dir);
		snprintf(victim, sizeof victim, "%s/victim", dir);
		write_file(dir, "victim", "keep\n");
		assert_int_equal(mkfifo(fifo, 0600), 0);
		assert_int_equal(symlink(victim, link), 0);
		load("m1", NULL);
		snprintf(o.dump_ioreport, sizeof o.dump_ioreport, "%s", fifo);
		assert_int_equal(mac_dump_ioreport(&o, &err), -1);
		assert_non_null(strstr(err.msg, "it is a FIFO, not a regular file"));
		snprintf(o.dump_ioreport, sizeof o.dump_ioreport, "%s", link);
		assert_int_equal(mac_dump_ioreport(&o, &err), -1);
		assert_non_null(strstr(err.msg, "it is a symbolic link"));
		text = read_file(victim, NULL);
		assert_string_equal(text, "keep\n");
		free(text);
		no_leaks();
		fake_apple_unload();
	}
	tmp_cleanup(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fakes_catch_misuse),
		cmocka_unit_test(test_live_m1),
		cmocka_unit_test(test_live_m1ultra),
		cmocka_unit_test(test_live_m3pro),
		cmocka_unit_test(test_live_m4max),
		cmocka_unit_test(test_live_m5max),
		cmocka_unit_test(test_no_pmgr),
		cmocka_unit_test(test_no_smc_falls_back_to_hid),
		cmocka_unit_test(test_no_processes),
		cmocka_unit_test(test_cmdlines_on_demand),
		cmocka_unit_test(test_dump_ioreport_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
