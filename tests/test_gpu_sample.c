/* test_gpu_sample.c - the GPU and process fields of the sample: the dashboard's labels and the
 * SoC GPU's temperature come from the sample, throttle causes by name, and every field through
 * JSON and back. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/json.h"
#include "sample.h"
#include "testutil.h"
#include "util/strbuf.h"

static void throttle_causes_by_name(void **state)
{
	(void)state;
	assert_string_equal(throttle_cause_name(THROTTLE_THERMAL), "thermal");
	assert_string_equal(throttle_cause_name(THROTTLE_HARDWARE), "hardware");
	assert_string_equal(throttle_cause_name(THROTTLE_CAUSE_COUNT), "?");
	assert_int_equal(throttle_cause_parse("setting"), THROTTLE_SETTING);
	assert_int_equal(throttle_cause_parse("power"), THROTTLE_POWER);
	assert_int_equal(throttle_cause_parse("idle"), -1);
}

static void gpu_labels_and_temperature_come_from_the_sample(void **state)
{
	struct sample s;

	(void)state;
	sample_init(&s);
	s.ngpus = 1;
	snprintf(s.gpus[0].vendor, sizeof s.gpus[0].vendor, "apple");
	s.ntemps = 2;
	s.temps[0].kind = TEMP_GPU;
	s.temps[0].celsius = 51;
	s.temps[1].kind = TEMP_GPU;
	s.temps[1].celsius = 47;
	sample_gpu_defaults(&s);
	assert_string_equal(s.gpus[0].label, "GPU");
	assert_true(s.gpus[0].integrated);
	assert_true(sample_gpu_temp(&s, 0) == 51); /* its own sensor unknown: the hottest */
	s.gpus[0].temp_c = 44;
	assert_true(sample_gpu_temp(&s, 0) == 44);

	/* two discrete GPUs: numbered, and never given the machine's sensors */
	sample_reset(&s);
	s.ngpus = 2;
	snprintf(s.gpus[0].vendor, sizeof s.gpus[0].vendor, "nvidia");
	snprintf(s.gpus[1].label, sizeof s.gpus[1].label, "dGPU");
	s.ntemps = 1;
	s.temps[0].kind = TEMP_GPU;
	s.temps[0].celsius = 60;
	sample_gpu_defaults(&s);
	assert_string_equal(s.gpus[0].label, "GPU0");
	assert_string_equal(s.gpus[1].label, "dGPU"); /* a source's own label stays */
	assert_false(s.gpus[0].integrated);
	assert_true(isnan(sample_gpu_temp(&s, 0)));
	assert_true(isnan(sample_gpu_temp(&s, 5)));
	sample_free(&s);
}

static void gpu_and_process_fields_round_trip_through_json(void **state)
{
	struct sample a, b;
	struct strbuf sb;
	struct error err;
	struct sample_proc *p;

	(void)state;
	sample_init(&a);
	sample_init(&b);
	sb_init(&sb);
	a.seq = 1;
	a.ngpus = 2;
	snprintf(a.gpus[0].name, sizeof a.gpus[0].name, "Tesla T4");
	snprintf(a.gpus[0].vendor, sizeof a.gpus[0].vendor, "nvidia");
	snprintf(a.gpus[0].driver, sizeof a.gpus[0].driver, "nvml");
	snprintf(a.gpus[0].id, sizeof a.gpus[0].id, "GPU-d37e67a5-91dd-3774-a5cb-99096249601a");
	snprintf(a.gpus[0].label, sizeof a.gpus[0].label, "GPU0");
	a.gpus[0].util = 0.25;
	a.gpus[0].power_limit_w = 70;
	a.gpus[0].ecc_corrected = 3;
	a.gpus[0].xid_last = 79;
	a.gpus[0].pcie_rx_bps = 1024;
	a.gpus[0].throttle = (1 << THROTTLE_POWER) | (1 << THROTTLE_THERMAL);
	a.gpus[1].integrated = true;
	a.gpus[1].throttle = 0;
	p = sample_add_proc(&a);
	p->pid = 5762;
	p->cpu = 1.0;
	p->gpu_util = 0.87;
	p->gpu_mem_bytes = 1005.0 * 1048576;
	p = sample_add_proc(&a);
	p->pid = 675;
	p->cpu = 0.1;
	json_write_sample(&sb, &a, NULL);
	assert_non_null(strstr(sb.buf, "\"throttle\":[\"thermal\",\"power\"]"));
	assert_non_null(strstr(sb.buf, "\"gpu_mem_bytes\":1053818880"));
	assert_int_equal(json_read_sample(sb.buf, sb.len, &b, &err), 0);
	assert_true(sample_equal(&a, &b));
	assert_int_equal(b.gpus[0].throttle, a.gpus[0].throttle);
	assert_int_equal(b.gpus[1].throttle, 0);
	assert_true(isnan(b.procs[1].gpu_util));
	/* a field the reader checks: one wrong member is a clear error */
	{
		const char *bad = "{\"schema\":1,\"seq\":1,\"gpus\":[{\"name\":\"x\","
		                  "\"throttle\":[\"sleepy\"]}]}";
		assert_int_equal(json_read_sample(bad, strlen(bad), &b, &err), -1);
		assert_non_null(strstr(err.msg, "throttle"));
	}
	sb_free(&sb);
	sample_free(&a);
	sample_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(throttle_causes_by_name),
		cmocka_unit_test(gpu_labels_and_temperature_come_from_the_sample),
		cmocka_unit_test(gpu_and_process_fields_round_trip_through_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
