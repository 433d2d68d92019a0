// thrower N DELAY_US: calls mid(i) for i = 0..N-1, DELAY_US apart; inner(i) throws for every
// third i, through mid. Prints "ready pid=PID" first and the sums at the end. Built statically
// (tests/static): a return probe on mid puts ktap's return stub in the frames the exception
// unwinds through, which the program's own unwinder (libgcc_eh, linked in) must know about.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

volatile int sink;

__attribute__((noipa, used)) int inner(int i) {
    sink = i;
    if (i % 3 == 0)
        throw std::runtime_error("every third");
    return i;
}

__attribute__((noipa, used)) int mid(int i) {
    int r = inner(i);
    sink = r;
    return r + 1;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    int delay = argc > 2 ? atoi(argv[2]) : 0;
    long ok = 0, caught = 0;
    printf("ready pid=%d\n", (int)getpid());
    fflush(stdout);
    for (int i = 0; i < n; i++) {
        try {
            ok += mid(i);
        } catch (const std::exception &) {
            caught++;
        }
        if (delay)
            usleep(delay);
    }
    printf("ok=%ld caught=%ld\n", ok, caught);
    return 0;
}
