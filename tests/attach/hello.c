/* Spawn test program: prints from a constructor and from main, and tells whether the test
 * library was injected before main. Exit status: argv[1] (default 0). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void ctor(void) {
    ssize_t w = write(1, "ctor\n", 5);
    (void)w;
}

int main(int argc, char **argv) {
    printf("main\n");
    /* Was the test library injected (RTLD_LOCAL: look for it in our maps)? */
    char line[4096], path[4096] = "";
    FILE *maps = fopen("/proc/self/maps", "r");
    while (maps && fgets(line, sizeof line, maps))
        if (strstr(line, "libattach_testlib") && !path[0]) {
            char *p = strchr(line, '/');
            if (p) {
                strcpy(path, p);
                path[strcspn(path, "\n")] = 0;
            }
        }
    if (maps)
        fclose(maps);
    printf("lib %s\n", path[0] ? "loaded" : "absent");
    if (path[0]) {
        void *h = dlopen(path, RTLD_NOLOAD | RTLD_LAZY);
        int *marker = h ? (int *)dlsym(h, "ktap_testlib_marker") : NULL;
        printf("marker %d\n", marker ? *marker : -1);
    }
    const char *var = getenv("KTAP_TEST_VAR");
    printf("var %s\n", var ? var : "-");
    return argc > 1 ? atoi(argv[1]) : 0;
}
