/* ktap-rt-prep-tool: runs kt_prepare for a process that cannot (a 32-bit target: Zydis exists
 * only as an x86_64 library). Speaks a small binary protocol on stdin/stdout; the client answers
 * memory reads from its own address space. This is the same split the controller uses when it
 * prepares patches for an attached i386 process. Protocol (little endian, fixed-width fields):
 *   client -> tool: struct wire_request, then name_len bytes of the name
 *   tool -> client: struct wire_msg {type=READ, len, addr}; client replies struct wire_reply
 *                   {status, len} + len bytes           (any number of times)
 *   tool -> client: struct wire_msg {type=RESULT, ok, 0}, 200 bytes reason, KT_WIRE_PATCH_LEN
 *                   bytes of struct kt_patch */
#include "ktap/prep.h"
#include "prep_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_all(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len) {
        ssize_t n = read(fd, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int remote_read(void *ctx, uint64_t addr, void *buf, size_t len) {
    (void)ctx;
    struct wire_msg m = {KT_WIRE_READ, (uint32_t)len, addr};
    if (write_all(1, &m, sizeof m))
        exit(1);
    struct wire_reply r;
    if (read_all(0, &r, sizeof r))
        exit(1);
    if (r.status != 0)
        return -1;
    if (r.len != len || read_all(0, buf, len))
        exit(1);
    return 0;
}

int main(void) {
    for (;;) {
        struct wire_request wr;
        if (read_all(0, &wr, sizeof wr))
            return 0;
        if (wr.magic != KT_WIRE_MAGIC || wr.name_len > 4096)
            return 2;
        char name[4097];
        if (read_all(0, name, wr.name_len))
            return 2;
        name[wr.name_len] = 0;
        struct kt_prep_request req = {
            .bits = wr.bits,
            .return_probe = wr.return_probe,
            .site = wr.site,
            .func_size = wr.func_size,
            .name = wr.name_len ? name : NULL,
            .tramp = wr.tramp,
            .read = remote_read,
        };
        struct kt_prep_result res;
        kt_prepare(&req, &res);
        struct wire_msg m = {KT_WIRE_RESULT, (uint32_t)res.ok, 0};
        if (write_all(1, &m, sizeof m) || write_all(1, res.reason, sizeof res.reason) ||
            write_all(1, &res.patch, KT_WIRE_PATCH_LEN))
            return 1;
    }
}
