/* mach/mach.h - the Mach subset agtop's macOS source uses, declared for the Linux fakes
 * (tests/fakes/fake_mach.c implements it). Types and constants follow Apple's ABI. */
#ifndef AGTOP_FAKE_MACH_H
#define AGTOP_FAKE_MACH_H

#include <stdint.h>

typedef int kern_return_t;
typedef unsigned int natural_t;
typedef int integer_t;
typedef natural_t mach_port_t;
typedef mach_port_t host_t;
typedef mach_port_t task_t;
typedef mach_port_t task_port_t;
typedef mach_port_t vm_map_t;
typedef mach_port_t mach_port_name_t;
typedef natural_t mach_msg_type_number_t;
typedef uintptr_t vm_address_t;
typedef uintptr_t vm_size_t;
typedef integer_t *processor_info_array_t;
typedef int processor_flavor_t;
typedef integer_t host_flavor_t;
typedef integer_t *host_info64_t;

#define KERN_SUCCESS          0
#define KERN_INVALID_ARGUMENT 4
#define KERN_FAILURE          5
#define MACH_PORT_NULL        0

#define PROCESSOR_CPU_LOAD_INFO 2
#define CPU_STATE_MAX           4
#define CPU_STATE_USER          0
#define CPU_STATE_SYSTEM        1
#define CPU_STATE_IDLE          2
#define CPU_STATE_NICE          3

struct processor_cpu_load_info {
	unsigned int cpu_ticks[CPU_STATE_MAX];
};
typedef struct processor_cpu_load_info *processor_cpu_load_info_t;

#define HOST_VM_INFO64 4

struct vm_statistics64 {
	natural_t free_count;
	natural_t active_count;
	natural_t inactive_count;
	natural_t wire_count;
	uint64_t zero_fill_count;
	uint64_t reactivations;
	uint64_t pageins;
	uint64_t pageouts;
	uint64_t faults;
	uint64_t cow_faults;
	uint64_t lookups;
	uint64_t hits;
	uint64_t purges;
	natural_t purgeable_count;
	natural_t speculative_count;
	uint64_t decompressions;
	uint64_t compressions;
	uint64_t swapins;
	uint64_t swapouts;
	natural_t compressor_page_count;
	natural_t throttled_count;
	natural_t external_page_count;
	natural_t internal_page_count;
	uint64_t total_uncompressed_pages_in_compressor;
} __attribute__((aligned(8)));
typedef struct vm_statistics64 vm_statistics64_data_t;

#define HOST_VM_INFO64_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_statistics64_data_t) / sizeof(integer_t)))

mach_port_t mach_host_self(void);
mach_port_t mach_task_self(void);
kern_return_t mach_port_deallocate(task_t task, mach_port_name_t name);
kern_return_t host_processor_info(host_t host, processor_flavor_t flavor,
                                  natural_t *out_processor_count,
                                  processor_info_array_t *out_processor_info,
                                  mach_msg_type_number_t *out_processor_infoCnt);
kern_return_t host_statistics64(host_t host, host_flavor_t flavor, host_info64_t host_info_out,
                                mach_msg_type_number_t *host_info_outCnt);
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size);

#endif
