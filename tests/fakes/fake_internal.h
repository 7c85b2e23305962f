/* fake_internal.h - shared by the fakes */
#ifndef AGTOP_FAKE_INTERNAL_H
#define AGTOP_FAKE_INTERNAL_H

#include <CoreFoundation/CoreFoundation.h>
#include <stdint.h>

#include "fake_apple.h"

/* CF object kinds; CFGetTypeID returns these */
enum fake_kind {
	FK_STRING = 1,
	FK_NUMBER,
	FK_DATA,
	FK_ARRAY,
	FK_DICT,
	FK_SUBSCRIPTION,
	FK_HID_CLIENT,
	FK_HID_SERVICE,
	FK_HID_EVENT,
	FK_BOOL,
};

struct fake_obj {
	uint32_t magic;
	enum fake_kind kind;
	long rc;
	bool constant;
	char *str;
	bool is_float;
	int64_t i;
	double d;
	uint8_t *bytes;
	size_t len;
	struct fake_obj **items; /* array items, dictionary keys */
	struct fake_obj **vals;  /* dictionary values */
	size_t n, cap;
	int tag; /* kind-specific: HID sensor index, subscription id */
	struct fake_obj *all_next;
};

_Noreturn void fake_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* object model (fake_cf.c) */
struct fake_obj *fake_new(enum fake_kind kind);
struct fake_obj *fake_check(const void *cf, enum fake_kind kind, const char *where);
struct fake_obj *fake_str(const char *s);
struct fake_obj *fake_num(int64_t v);
struct fake_obj *fake_dbl(double v);
struct fake_obj *fake_bool(bool v);
struct fake_obj *fake_data(const uint8_t *b, size_t len);
struct fake_obj *fake_array(void);
struct fake_obj *fake_dict(void);
/* Adds without retaining: the container takes the caller's reference. */
void fake_array_take(struct fake_obj *a, struct fake_obj *v);
void fake_dict_take(struct fake_obj *d, const char *key, struct fake_obj *v);
struct fake_obj *fake_dict_get(const struct fake_obj *d, const char *key);
long fake_cf_live(void);
void fake_cf_leaks(char *buf, size_t size);
void fake_cf_reset(void);

/* the dump being served (fake_state.c) */
struct fake_state {
	bool loaded;
	struct fake_apple_opts opts;
	struct apple_dump dump;
	unsigned index;
	struct fake_apple_stats st;
	char subscribed[16384];
};
extern struct fake_state fake;
const struct apple_reading *fake_reading(void);

/* the accelerator's children, the battery (fake_power.c) */
unsigned fake_agx_children(void);
const char *fake_agx_child_class(unsigned i);
struct fake_obj *fake_agx_child_property(unsigned i, const char *key);
bool fake_battery_present(void);
struct fake_obj *fake_battery_properties(void);

void fake_iokit_reset(void);
long fake_iokit_live(void);
void fake_iokit_leaks(char *buf, size_t size);
void fake_mach_reset(void);
void fake_mach_leaks(char *buf, size_t size);

#endif
