/* device/device_types.h - for the Linux fakes */
#ifndef AGTOP_FAKE_DEVICE_TYPES_H
#define AGTOP_FAKE_DEVICE_TYPES_H

typedef char io_name_t[128];

#endif
