/* i386 side of the differential test (t_cross.cc): prints every case as "name<TAB>hex". */
#include "cross_cases.h"

#include <stdio.h>

static void emit(const char *name, const char *bytes, uint32_t len, void *user) {
    (void)user;
    printf("%s\t", name);
    for (uint32_t i = 0; i < len; i++)
        printf("%02x", (unsigned char)bytes[i]);
    printf("\n");
}

int main(void) {
    cross_run(emit, 0);
    return 0;
}
