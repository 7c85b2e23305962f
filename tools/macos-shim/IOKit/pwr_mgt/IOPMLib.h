/* IOPMLib.h - agtop's own declaration of the one IOPMLib call it makes, matching Apple's ABI
 * (see tools/macos-shim/README.md). Not Apple's header. */
#ifndef AGTOP_SHIM_IOPMLIB_H
#define AGTOP_SHIM_IOPMLIB_H

#include <IOKit/IOKitLib.h>

/* A dictionary of the CPU's power limits ("CPU_Speed_Limit", percent); kIOReturnNotFound
 * where the machine keeps none (Apple Silicon). */
kern_return_t IOPMCopyCPUPowerStatus(CFDictionaryRef *cpuPowerStatus);

#endif
