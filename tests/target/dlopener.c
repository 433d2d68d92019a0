/* Loads a library after a pause (while ktap traces it), calls into it N times at once, unloads
 * it, and prints what it did:  dlopener LIBRARY [N]   ->  "late_calls=N" and "late_sum=S". */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    int n = argc > 2 ? atoi(argv[2]) : 100;
    usleep(200 * 1000);
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    int (*f)(int) = (int (*)(int))dlsym(h, "late_work");
    long sum = 0;
    for (int i = 0; i < n; i++)
        sum += f(i);
    printf("late_calls=%d\nlate_sum=%ld\n", n, sum);
    dlclose(h);
    return 0;
}
