/* apple_sys.h - the system interfaces of the macOS source, in one place: Apple's public headers,
 * and hand-written prototypes for what has none (IOReport in libIOReport.dylib, the IOHID event
 * system client in IOKit). On Linux the same names come from tools/macos-shim and
 * tests/fakes/include, and tests/fakes implements them. */
#ifndef AGTOP_APPLE_SYS_H
#define AGTOP_APPLE_SYS_H

#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>
#include <IOKit/pwr_mgt/IOPMLib.h>
#include <libproc.h>
#include <mach/mach.h>
#include <mach/mach_time.h>
#include <notify.h>
#include <stdint.h>
#include <sys/proc_info.h>
#include <sys/resource.h>
#include <sys/sysctl.h>

/* ---- IOReport (private; libIOReport.dylib, linked with -lIOReport) ----
 * Prototypes as peers declare them (macmon, SiliconScope, all-smi; docs/counters.md): 64-bit
 * simple values and residencies, int indices. */
typedef struct IOReportSubscriptionRef *IOReportSubscriptionRef;

enum {
	kIOReportFormatInvalid = 0,
	kIOReportFormatSimple = 1,
	kIOReportFormatState = 2,
	kIOReportFormatHistogram = 3,
	kIOReportFormatSimpleArray = 4,
};

/* +1 mutable dictionary with the "IOReportChannels" array; subgroup NULL means all */
CFMutableDictionaryRef IOReportCopyChannelsInGroup(CFStringRef group, CFStringRef subgroup,
                                                   uint64_t a, uint64_t b, uint64_t c);
/* NULL when the channels cannot be subscribed (AMC Stats on M4 Max, macOS 26.5) */
IOReportSubscriptionRef IOReportCreateSubscription(void *a, CFMutableDictionaryRef desired,
                                                   CFMutableDictionaryRef *subscribed,
                                                   uint64_t channel_id, CFTypeRef b);
/* +1 dictionary of absolute counters */
CFDictionaryRef IOReportCreateSamples(IOReportSubscriptionRef sub,
                                      CFMutableDictionaryRef subscribed, CFTypeRef a);
int IOReportChannelGetFormat(CFDictionaryRef channel);
CFStringRef IOReportChannelGetGroup(CFDictionaryRef channel);
CFStringRef IOReportChannelGetSubGroup(CFDictionaryRef channel);
CFStringRef IOReportChannelGetChannelName(CFDictionaryRef channel);
CFStringRef IOReportChannelGetUnitLabel(CFDictionaryRef channel);
int64_t IOReportSimpleGetIntegerValue(CFDictionaryRef channel, int32_t index);
int32_t IOReportStateGetCount(CFDictionaryRef channel);
CFStringRef IOReportStateGetNameForIndex(CFDictionaryRef channel, int32_t index);
int64_t IOReportStateGetResidency(CFDictionaryRef channel, int32_t index);

/* ---- power management (IOKit) ----
 * IOPMCopyActivePMPreferences is private (IOPMLibPrivate.h): a dictionary per power source
 * ("AC Power", "Battery Power") of the settings pmset shows, "LowPowerMode" among them.
 * IOPMCopyCPUPowerStatus is in IOPMLib.h: "CPU_Speed_Limit" (percent); kIOReturnNotFound on
 * Apple Silicon. */
CFDictionaryRef IOPMCopyActivePMPreferences(void);

/* ---- IOHID event system (private part of IOKit) ---- */
typedef struct __IOHIDEventSystemClient *IOHIDEventSystemClientRef;
typedef struct __IOHIDServiceClient *IOHIDServiceClientRef;
typedef struct __IOHIDEvent *IOHIDEventRef;

#define AGTOP_HID_EVENT_TEMPERATURE 15
#define AGTOP_HID_FIELD_TEMPERATURE (AGTOP_HID_EVENT_TEMPERATURE << 16)

IOHIDEventSystemClientRef IOHIDEventSystemClientCreate(CFAllocatorRef allocator);
int IOHIDEventSystemClientSetMatching(IOHIDEventSystemClientRef client, CFDictionaryRef match);
CFArrayRef IOHIDEventSystemClientCopyServices(IOHIDEventSystemClientRef client);
CFTypeRef IOHIDServiceClientCopyProperty(IOHIDServiceClientRef service, CFStringRef key);
IOHIDEventRef IOHIDServiceClientCopyEvent(IOHIDServiceClientRef service, int64_t type,
                                          int32_t options, int64_t timestamp);
double IOHIDEventGetFloatValue(IOHIDEventRef event, int32_t field);

#endif
