/* Wire format between a client process (any arch) and ktap-rt-prep-tool (see prep_tool.c). */
#ifndef KTAP_PREP_WIRE_H
#define KTAP_PREP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "ktap/rt.h"

#define KT_WIRE_MAGIC 0x6b747031u /* "ktp1" */
#define KT_WIRE_READ 1u
#define KT_WIRE_RESULT 2u
/* struct kt_patch without tail padding: identical on i386 and x86_64 */
#define KT_WIRE_PATCH_LEN (offsetof(struct kt_patch, reloc) + KT_RELOC_MAX)
#define KT_WIRE_REASON_LEN 200

struct wire_request {
    uint32_t magic;
    uint32_t bits;
    uint32_t return_probe;
    uint32_t name_len;
    uint64_t site;
    uint64_t func_size;
    struct kt_tramp_info tramp;
} __attribute__((packed));

struct wire_msg {
    uint32_t type;
    uint32_t value; /* READ: length; RESULT: ok */
    uint64_t addr;
} __attribute__((packed));

struct wire_reply {
    uint32_t status;
    uint32_t len;
} __attribute__((packed));

#endif
