/* IOKitLib.h - agtop's own declarations of the IOKit subset it uses, matching Apple's ABI (see
 * tools/macos-shim/README.md). Not Apple's header. */
#ifndef AGTOP_SHIM_IOKITLIB_H
#define AGTOP_SHIM_IOKITLIB_H

#include <CoreFoundation/CoreFoundation.h>
#ifndef IOKIT
#define IOKIT 1 /* as IOKit's IOTypes.h does: device_types.h then declares io_name_t */
#endif
#include <device/device_types.h>
#include <mach/mach.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef mach_port_t io_object_t;
typedef io_object_t io_connect_t;
typedef io_object_t io_iterator_t;
typedef io_object_t io_registry_entry_t;
typedef io_object_t io_service_t;
typedef uint32_t IOOptionBits;

#define kIOReturnSuccess KERN_SUCCESS

kern_return_t IOObjectRelease(io_object_t object);
io_object_t IOIteratorNext(io_iterator_t iterator);

/* IOServiceGetMatchingService(s) consume one reference of matching. */
CFMutableDictionaryRef IOServiceMatching(const char *name);
io_service_t IOServiceGetMatchingService(mach_port_t mainPort, CFDictionaryRef matching);
kern_return_t IOServiceGetMatchingServices(mach_port_t mainPort, CFDictionaryRef matching,
                                           io_iterator_t *existing);

kern_return_t IORegistryEntryGetName(io_registry_entry_t entry, io_name_t name);
/* The plane of services; children of an entry in a plane, and an object's class name. */
#define kIOServicePlane "IOService"
kern_return_t IORegistryEntryGetChildIterator(io_registry_entry_t entry, const char *plane,
                                              io_iterator_t *iterator);
kern_return_t IOObjectGetClass(io_object_t object, io_name_t className);
CFTypeRef IORegistryEntryCreateCFProperty(io_registry_entry_t entry, CFStringRef key,
                                          CFAllocatorRef allocator, IOOptionBits options);
kern_return_t IORegistryEntryCreateCFProperties(io_registry_entry_t entry,
                                                CFMutableDictionaryRef *properties,
                                                CFAllocatorRef allocator, IOOptionBits options);

kern_return_t IOServiceOpen(io_service_t service, task_port_t owningTask, uint32_t type,
                            io_connect_t *connect);
kern_return_t IOServiceClose(io_connect_t connect);
kern_return_t IOConnectCallStructMethod(mach_port_t connection, uint32_t selector,
                                        const void *inputStruct, size_t inputStructCnt,
                                        void *outputStruct, size_t *outputStructCnt);

#ifdef __cplusplus
}
#endif

#endif
