/* fake_cf.c - a CoreFoundation object model with reference accounting: every object the caller
 * gets from a Create or Copy call must be released exactly once; a released object is kept
 * (marked dead) until the fakes are reset, so using it again is caught. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

#define MAGIC_LIVE 0xCF0B1EC7u
#define MAGIC_DEAD 0xDEADCF00u

static struct fake_obj *all;
static struct fake_obj *constants; /* CFSTR strings (never freed, never counted) */

const CFAllocatorRef kCFAllocatorDefault = NULL;
const CFDictionaryKeyCallBacks kCFTypeDictionaryKeyCallBacks = { 0, NULL, NULL, NULL, NULL, NULL };
const CFDictionaryValueCallBacks kCFTypeDictionaryValueCallBacks = { 0, NULL, NULL, NULL, NULL };
const CFArrayCallBacks kCFTypeArrayCallBacks = { 0, NULL, NULL, NULL, NULL };

void fake_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("FAKE MACOS: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		fake_fail("out of memory");
	return p;
}

struct fake_obj *fake_new(enum fake_kind kind)
{
	struct fake_obj *o = xcalloc(1, sizeof *o);

	o->magic = MAGIC_LIVE;
	o->kind = kind;
	o->rc = 1;
	o->all_next = all;
	all = o;
	return o;
}

static const char *kind_name(enum fake_kind k)
{
	static const char *const n[] = { "?",
		                         "CFString",
		                         "CFNumber",
		                         "CFData",
		                         "CFArray",
		                         "CFDictionary",
		                         "IOReportSubscription",
		                         "IOHIDEventSystemClient",
		                         "IOHIDServiceClient",
		                         "IOHIDEvent",
		                         "CFBoolean" };
	return k <= FK_BOOL ? n[k] : "?";
}

struct fake_obj *fake_check(const void *cf, enum fake_kind kind, const char *where)
{
	struct fake_obj *o = (struct fake_obj *)cf;

	if (!o)
		fake_fail("%s: NULL object", where);
	if (o->magic == MAGIC_DEAD)
		fake_fail("%s: %s used after its last CFRelease", where, kind_name(o->kind));
	if (o->magic != MAGIC_LIVE)
		fake_fail("%s: not a CF object", where);
	if (kind && o->kind != kind)
		fake_fail("%s: a %s where a %s is expected", where, kind_name(o->kind),
		          kind_name(kind));
	return o;
}

struct fake_obj *fake_str(const char *s)
{
	struct fake_obj *o = fake_new(FK_STRING);

	o->str = strdup(s ? s : "");
	if (!o->str)
		fake_fail("out of memory");
	return o;
}

struct fake_obj *fake_num(int64_t v)
{
	struct fake_obj *o = fake_new(FK_NUMBER);

	o->i = v;
	o->d = (double)v;
	return o;
}

struct fake_obj *fake_dbl(double v)
{
	struct fake_obj *o = fake_new(FK_NUMBER);

	o->is_float = true;
	o->d = v;
	o->i = (int64_t)v;
	return o;
}

/* kCFBooleanTrue/False are shared constants in CoreFoundation; a fresh object here, owned by
 * its container, which the source only reads */
struct fake_obj *fake_bool(bool v)
{
	struct fake_obj *o = fake_new(FK_BOOL);

	o->i = v;
	return o;
}

struct fake_obj *fake_data(const uint8_t *b, size_t len)
{
	struct fake_obj *o = fake_new(FK_DATA);

	o->bytes = xcalloc(len, 1);
	memcpy(o->bytes, b, len);
	o->len = len;
	return o;
}

struct fake_obj *fake_array(void)
{
	return fake_new(FK_ARRAY);
}

struct fake_obj *fake_dict(void)
{
	return fake_new(FK_DICT);
}

static void grow(struct fake_obj *o)
{
	if (o->n < o->cap)
		return;
	o->cap = o->cap ? o->cap * 2 : 8;
	o->items = realloc(o->items, o->cap * sizeof *o->items);
	if (o->kind == FK_DICT)
		o->vals = realloc(o->vals, o->cap * sizeof *o->vals);
	if (!o->items || (o->kind == FK_DICT && !o->vals))
		fake_fail("out of memory");
}

void fake_array_take(struct fake_obj *a, struct fake_obj *v)
{
	grow(a);
	a->items[a->n++] = v;
}

static bool equal(const struct fake_obj *a, const struct fake_obj *b)
{
	if (a == b)
		return true;
	if (a->kind != b->kind)
		return false;
	if (a->kind == FK_STRING)
		return !strcmp(a->str, b->str);
	if (a->kind == FK_NUMBER)
		return a->is_float || b->is_float ? a->d == b->d : a->i == b->i;
	if (a->kind == FK_BOOL)
		return a->i == b->i;
	return false;
}

static long dict_index(const struct fake_obj *d, const struct fake_obj *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (equal(d->items[i], key))
			return (long)i;
	return -1;
}

void fake_dict_take(struct fake_obj *d, const char *key, struct fake_obj *v)
{
	struct fake_obj *k = fake_str(key);

	grow(d);
	d->items[d->n] = k;
	d->vals[d->n++] = v;
}

struct fake_obj *fake_dict_get(const struct fake_obj *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i]->kind == FK_STRING && !strcmp(d->items[i]->str, key))
			return d->vals[i];
	return NULL;
}

static struct fake_obj *retain(struct fake_obj *o)
{
	if (!o->constant)
		o->rc++;
	return o;
}

static void release(struct fake_obj *o)
{
	if (o->constant)
		return;
	if (--o->rc > 0)
		return;
	for (size_t i = 0; i < o->n; i++) {
		release(fake_check(o->items[i], 0, "release of a child"));
		if (o->kind == FK_DICT)
			release(fake_check(o->vals[i], 0, "release of a child"));
	}
	o->magic = MAGIC_DEAD;
}

long fake_cf_live(void)
{
	long n = 0;

	for (struct fake_obj *o = all; o; o = o->all_next)
		if (o->magic == MAGIC_LIVE && !o->constant)
			n++;
	return n;
}

/* Only the roots are reported: objects no live container holds. */
void fake_cf_leaks(char *buf, size_t size)
{
	size_t w = strlen(buf);

	for (struct fake_obj *o = all; o && w + 1 < size; o = o->all_next) {
		bool held = false;
		if (o->magic != MAGIC_LIVE || o->constant)
			continue;
		for (struct fake_obj *c = all; c && !held; c = c->all_next)
			if (c->magic == MAGIC_LIVE && (c->kind == FK_ARRAY || c->kind == FK_DICT))
				for (size_t i = 0; i < c->n && !held; i++)
					held = c->items[i] == o ||
					       (c->kind == FK_DICT && c->vals[i] == o);
		if (held)
			continue;
		w += (size_t)snprintf(buf + w, size - w, "%s rc=%ld%s%s%s (%zu entries)\n",
		                      kind_name(o->kind), o->rc, o->str ? " \"" : "",
		                      o->str ? o->str : "", o->str ? "\"" : "", o->n);
		if (w >= size)
			w = size - 1;
	}
}

void fake_cf_reset(void)
{
	while (all) {
		struct fake_obj *o = all;
		all = o->all_next;
		free(o->str);
		free(o->bytes);
		free(o->items);
		free(o->vals);
		free(o);
	}
}

const void *fake_cf_string(const char *s)
{
	return fake_str(s);
}

/* ---- the CoreFoundation API ---- */

CFStringRef __CFStringMakeConstantString(const char *cStr)
{
	struct fake_obj *o;

	for (o = constants; o; o = o->all_next)
		if (!strcmp(o->str, cStr))
			return (CFStringRef)o;
	o = xcalloc(1, sizeof *o);
	o->magic = MAGIC_LIVE;
	o->kind = FK_STRING;
	o->constant = true;
	o->rc = 1;
	o->str = strdup(cStr);
	o->all_next = constants;
	constants = o;
	return (CFStringRef)o;
}

CFTypeRef CFRetain(CFTypeRef cf)
{
	return retain(fake_check(cf, 0, "CFRetain"));
}

void CFRelease(CFTypeRef cf)
{
	struct fake_obj *o = (struct fake_obj *)cf;

	if (o && o->magic == MAGIC_DEAD)
		fake_fail("CFRelease: %s \"%s\" released once too often", kind_name(o->kind),
		          o->str ? o->str : "");
	release(fake_check(cf, 0, "CFRelease"));
}

CFTypeID CFGetTypeID(CFTypeRef cf)
{
	return fake_check(cf, 0, "CFGetTypeID")->kind;
}

Boolean CFEqual(CFTypeRef a, CFTypeRef b)
{
	return equal(fake_check(a, 0, "CFEqual"), fake_check(b, 0, "CFEqual"));
}

CFTypeID CFStringGetTypeID(void)
{
	return FK_STRING;
}

CFTypeID CFNumberGetTypeID(void)
{
	return FK_NUMBER;
}

CFTypeID CFDataGetTypeID(void)
{
	return FK_DATA;
}

CFTypeID CFArrayGetTypeID(void)
{
	return FK_ARRAY;
}

CFTypeID CFDictionaryGetTypeID(void)
{
	return FK_DICT;
}

CFTypeID CFBooleanGetTypeID(void)
{
	return FK_BOOL;
}

Boolean CFBooleanGetValue(CFBooleanRef b)
{
	return fake_check(b, FK_BOOL, "CFBooleanGetValue")->i != 0;
}

CFStringRef CFStringCreateWithCString(CFAllocatorRef alloc, const char *cStr,
                                      CFStringEncoding encoding)
{
	(void)alloc;
	if (encoding != kCFStringEncodingUTF8)
		fake_fail("CFStringCreateWithCString: only UTF-8 is expected");
	return (CFStringRef)fake_str(cStr);
}

Boolean CFStringGetCString(CFStringRef s, char *buffer, CFIndex size, CFStringEncoding encoding)
{
	struct fake_obj *o = fake_check(s, FK_STRING, "CFStringGetCString");

	if (encoding != kCFStringEncodingUTF8)
		fake_fail("CFStringGetCString: only UTF-8 is expected");
	if (size <= 0 || strlen(o->str) + 1 > (size_t)size)
		return 0;
	memcpy(buffer, o->str, strlen(o->str) + 1);
	return 1;
}

CFIndex CFStringGetLength(CFStringRef s)
{
	return (CFIndex)strlen(fake_check(s, FK_STRING, "CFStringGetLength")->str);
}

CFNumberRef CFNumberCreate(CFAllocatorRef alloc, CFNumberType type, const void *p)
{
	(void)alloc;
	switch (type) {
	case kCFNumberSInt32Type:
	case kCFNumberIntType: {
		int32_t v;
		memcpy(&v, p, sizeof v);
		return (CFNumberRef)fake_num(v);
	}
	case kCFNumberSInt64Type:
	case kCFNumberLongLongType:
	case kCFNumberLongType:
	case kCFNumberCFIndexType: {
		int64_t v;
		memcpy(&v, p, sizeof v);
		return (CFNumberRef)fake_num(v);
	}
	case kCFNumberFloat64Type:
	case kCFNumberDoubleType: {
		double v;
		memcpy(&v, p, sizeof v);
		return (CFNumberRef)fake_dbl(v);
	}
	default:
		fake_fail("CFNumberCreate: number type %d not expected", (int)type);
	}
}

Boolean CFNumberGetValue(CFNumberRef n, CFNumberType type, void *out)
{
	struct fake_obj *o = fake_check(n, FK_NUMBER, "CFNumberGetValue");

	switch (type) {
	case kCFNumberSInt32Type:
	case kCFNumberIntType: {
		int32_t v = (int32_t)o->i;
		memcpy(out, &v, sizeof v);
		return !o->is_float && o->i == v;
	}
	case kCFNumberSInt64Type:
	case kCFNumberLongLongType:
	case kCFNumberLongType:
		memcpy(out, &o->i, sizeof o->i);
		return !o->is_float;
	case kCFNumberDoubleType:
	case kCFNumberFloat64Type:
		memcpy(out, &o->d, sizeof o->d);
		return 1;
	default:
		fake_fail("CFNumberGetValue: number type %d not expected", (int)type);
	}
}

CFIndex CFDataGetLength(CFDataRef d)
{
	return (CFIndex)fake_check(d, FK_DATA, "CFDataGetLength")->len;
}

const uint8_t *CFDataGetBytePtr(CFDataRef d)
{
	return fake_check(d, FK_DATA, "CFDataGetBytePtr")->bytes;
}

CFIndex CFArrayGetCount(CFArrayRef a)
{
	return (CFIndex)fake_check(a, FK_ARRAY, "CFArrayGetCount")->n;
}

const void *CFArrayGetValueAtIndex(CFArrayRef a, CFIndex i)
{
	struct fake_obj *o = fake_check(a, FK_ARRAY, "CFArrayGetValueAtIndex");

	if (i < 0 || (size_t)i >= o->n)
		fake_fail("CFArrayGetValueAtIndex: index %ld of %zu", (long)i, o->n);
	return o->items[i];
}

CFMutableArrayRef CFArrayCreateMutable(CFAllocatorRef alloc, CFIndex capacity,
                                       const CFArrayCallBacks *cb)
{
	(void)alloc;
	(void)capacity;
	if (cb != &kCFTypeArrayCallBacks)
		fake_fail("CFArrayCreateMutable: kCFTypeArrayCallBacks expected");
	return (CFMutableArrayRef)fake_array();
}

void CFArrayAppendValue(CFMutableArrayRef a, const void *v)
{
	fake_array_take(fake_check(a, FK_ARRAY, "CFArrayAppendValue"),
	                retain(fake_check(v, 0, "CFArrayAppendValue")));
}

CFIndex CFDictionaryGetCount(CFDictionaryRef d)
{
	return (CFIndex)fake_check(d, FK_DICT, "CFDictionaryGetCount")->n;
}

const void *CFDictionaryGetValue(CFDictionaryRef d, const void *key)
{
	struct fake_obj *o = fake_check(d, FK_DICT, "CFDictionaryGetValue");
	long i = dict_index(o, fake_check(key, 0, "CFDictionaryGetValue key"));

	return i < 0 ? NULL : o->vals[i];
}

void CFDictionaryGetKeysAndValues(CFDictionaryRef d, const void **keys, const void **values)
{
	struct fake_obj *o = fake_check(d, FK_DICT, "CFDictionaryGetKeysAndValues");

	for (size_t i = 0; i < o->n; i++) {
		if (keys)
			keys[i] = o->items[i];
		if (values)
			values[i] = o->vals[i];
	}
}

CFMutableDictionaryRef CFDictionaryCreateMutable(CFAllocatorRef alloc, CFIndex capacity,
                                                 const CFDictionaryKeyCallBacks *kcb,
                                                 const CFDictionaryValueCallBacks *vcb)
{
	(void)alloc;
	(void)capacity;
	if (kcb != &kCFTypeDictionaryKeyCallBacks || vcb != &kCFTypeDictionaryValueCallBacks)
		fake_fail("CFDictionaryCreateMutable: the kCFType callbacks expected");
	return (CFMutableDictionaryRef)fake_dict();
}

CFMutableDictionaryRef CFDictionaryCreateMutableCopy(CFAllocatorRef alloc, CFIndex capacity,
                                                     CFDictionaryRef d)
{
	struct fake_obj *o = fake_check(d, FK_DICT, "CFDictionaryCreateMutableCopy"),
	                *c = fake_dict();

	(void)alloc;
	(void)capacity;
	for (size_t i = 0; i < o->n; i++) {
		grow(c);
		c->items[c->n] = retain(o->items[i]);
		c->vals[c->n++] = retain(o->vals[i]);
	}
	return (CFMutableDictionaryRef)c;
}

void CFDictionarySetValue(CFMutableDictionaryRef d, const void *key, const void *value)
{
	struct fake_obj *o = fake_check(d, FK_DICT, "CFDictionarySetValue");
	struct fake_obj *k = fake_check(key, 0, "CFDictionarySetValue key");
	struct fake_obj *v = fake_check(value, 0, "CFDictionarySetValue value");
	long i = dict_index(o, k);

	if (i >= 0) {
		retain(v);
		release(o->vals[i]);
		o->vals[i] = v;
		return;
	}
	grow(o);
	o->items[o->n] = retain(k);
	o->vals[o->n++] = retain(v);
}
