/* dump_power.c - the battery, fans, adapter input, low power mode, CPU speed limit and GPU
 * clients of a reading, in and out of a dump (docs/ioreport-dump.md) */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../util/strbuf.h"
#include "dump_internal.h"

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static int64_t i64(json_t *o, const char *k, int64_t absent)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : absent;
}

static int flag(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

void apple_dump_read_power(json_t *o, struct apple_reading *rd)
{
	json_t *b = json_object_get(o, "battery"), *fans = json_object_get(o, "fans"), *f;
	size_t i;

	rd->have_gpu_clients = json_is_true(json_object_get(o, "gpu_clients"));
	rd->input_w = num(o, "input_w");
	rd->low_power = (int)i64(o, "low_power", -1);
	rd->speed_limit = num(o, "speed_limit");
	if (json_is_object(b)) {
		struct apple_battery *bt = &rd->battery;
		bt->present = true;
		bt->current_capacity = i64(b, "CurrentCapacity", -1);
		bt->max_capacity = i64(b, "MaxCapacity", -1);
		bt->is_charging = flag(b, "IsCharging");
		bt->fully_charged = flag(b, "FullyCharged");
		bt->external_connected = flag(b, "ExternalConnected");
		bt->time_remaining = i64(b, "TimeRemaining", -1);
		bt->avg_time_to_full = i64(b, "AvgTimeToFull", -1);
		bt->amperage = i64(b, "Amperage", INT64_MIN);
		bt->voltage = i64(b, "Voltage", INT64_MIN);
		bt->adapter_watts = num(b, "AdapterWatts");
		bt->system_load_w = num(b, "SystemLoad") / 1e3;
		bt->system_in_w = num(b, "SystemPowerIn") / 1e3;
	}
	if (json_is_array(fans))
		json_array_foreach(fans, i, f)
		{
			if (!json_is_object(f) || rd->nfans == APPLE_MAX_FANS)
				break;
			rd->fan[rd->nfans].actual = num(f, "ac");
			rd->fan[rd->nfans].min = num(f, "mn");
			rd->fan[rd->nfans].max = num(f, "mx");
			rd->nfans++;
		}
}

static void key_i64(struct strbuf *b, bool *first, const char *k, int64_t v, int64_t absent)
{
	if (v == absent)
		return;
	sb_printf(b, "%s\"%s\": %lld", *first ? "" : ", ", k, (long long)v);
	*first = false;
}

static void key_flag(struct strbuf *b, bool *first, const char *k, int v)
{
	if (v < 0)
		return;
	sb_printf(b, "%s\"%s\": %s", *first ? "" : ", ", k, v ? "true" : "false");
	*first = false;
}

static void key_num(struct strbuf *b, bool *first, const char *k, double v)
{
	if (isnan(v))
		return;
	sb_printf(b, "%s\"%s\": ", *first ? "" : ", ", k);
	apple_dump_num(b, v);
	*first = false;
}

void apple_dump_write_power(struct strbuf *b, const struct apple_reading *r)
{
	if (r->have_gpu_clients)
		sb_puts(b, ",\n   \"gpu_clients\": true");
	if (!isnan(r->input_w)) {
		sb_puts(b, ",\n   \"input_w\": ");
		apple_dump_num(b, r->input_w);
	}
	if (r->low_power >= 0)
		sb_printf(b, ",\n   \"low_power\": %d", r->low_power);
	if (!isnan(r->speed_limit)) {
		sb_puts(b, ",\n   \"speed_limit\": ");
		apple_dump_num(b, r->speed_limit);
	}
	if (r->battery.present) {
		const struct apple_battery *bt = &r->battery;
		bool first = true;
		sb_puts(b, ",\n   \"battery\": {");
		key_i64(b, &first, "CurrentCapacity", bt->current_capacity, -1);
		key_i64(b, &first, "MaxCapacity", bt->max_capacity, -1);
		key_flag(b, &first, "IsCharging", bt->is_charging);
		key_flag(b, &first, "FullyCharged", bt->fully_charged);
		key_flag(b, &first, "ExternalConnected", bt->external_connected);
		key_i64(b, &first, "TimeRemaining", bt->time_remaining, -1);
		key_i64(b, &first, "AvgTimeToFull", bt->avg_time_to_full, -1);
		key_i64(b, &first, "Amperage", bt->amperage, INT64_MIN);
		key_i64(b, &first, "Voltage", bt->voltage, INT64_MIN);
		key_num(b, &first, "AdapterWatts", bt->adapter_watts);
		key_num(b, &first, "SystemLoad", bt->system_load_w * 1e3);
		key_num(b, &first, "SystemPowerIn", bt->system_in_w * 1e3);
		sb_putc(b, '}');
	}
	if (r->nfans) {
		sb_puts(b, ",\n   \"fans\": [");
		for (unsigned i = 0; i < r->nfans; i++) {
			bool first = true;
			sb_puts(b, i ? ", {" : "{");
			key_num(b, &first, "ac", r->fan[i].actual);
			key_num(b, &first, "mn", r->fan[i].min);
			key_num(b, &first, "mx", r->fan[i].max);
			sb_putc(b, '}');
		}
		sb_putc(b, ']');
	}
}
