/* cf.c - small CoreFoundation helpers */
#include <string.h>

#include "macos_internal.h"

char *cf_cstr(CFTypeRef s, char *dst, size_t size)
{
	if (!size)
		return dst;
	dst[0] = '\0';
	if (s && CFGetTypeID(s) == CFStringGetTypeID() &&
	    !CFStringGetCString((CFStringRef)s, dst, (CFIndex)size, kCFStringEncodingUTF8))
		dst[0] = '\0'; /* too long for dst: treated as absent, never cut mid-character */
	return dst;
}

bool cf_i64(CFTypeRef n, int64_t *out)
{
	if (!n || CFGetTypeID(n) != CFNumberGetTypeID())
		return false;
	return CFNumberGetValue((CFNumberRef)n, kCFNumberSInt64Type, out) != 0;
}

CFTypeRef cf_get(CFDictionaryRef dict, const char *key, CFTypeID type)
{
	CFStringRef k;
	CFTypeRef v;

	if (!dict)
		return NULL;
	k = CFStringCreateWithCString(kCFAllocatorDefault, key, kCFStringEncodingUTF8);
	if (!k)
		return NULL;
	v = CFDictionaryGetValue(dict, k);
	CFRelease(k);
	return v && CFGetTypeID(v) == type ? v : NULL;
}
