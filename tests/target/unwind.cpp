// unwind [N]: control leaves probed functions every way but return: C++ exceptions thrown
// through two frames (leaf -> mid -> outer's catch), longjmp out of two frames, and a signal
// handler that calls a probed function. Prints one line of results; traced with entry and return
// probes on every function (the libraries' too) it must print exactly what it prints untraced.
// At -O2 on x86_64, mid() and via_jump() start with a call (a relocated call in the patch).
#include <csetjmp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

volatile int sink;

__attribute__((noinline)) void leaf(int i) {
    sink = sink + i;
    if (i % 3 == 0)
        throw std::runtime_error("e" + std::to_string(i));
}

__attribute__((noinline)) int mid(int i) {
    leaf(i);
    return i * 2;
}

__attribute__((noinline)) int outer(int i) {
    try {
        return mid(i);
    } catch (const std::runtime_error &e) {
        return -static_cast<int>(std::string(e.what()).size());
    }
}

static jmp_buf jb;

__attribute__((noinline)) void jumper(int i) {
    sink = sink + i;
    if (i % 5 == 0)
        longjmp(jb, i + 1);
}

__attribute__((noinline)) int via_jump(int i) {
    jumper(i);
    return i + sink % 2;
}

static volatile sig_atomic_t got;

__attribute__((noinline)) int in_handler(int s) {
    return s + 1;
}

static void on_usr2(int s) {
    got = got + in_handler(s);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 100;
    long sum = 0, jumps = 0;
    signal(SIGUSR2, on_usr2);
    for (int i = 0; i < n; i++) {
        sum += outer(i);
        int v = setjmp(jb);
        if (v)
            jumps += v;
        else
            sum += via_jump(i);
        if (i % 10 == 0)
            raise(SIGUSR2);
    }
    printf("sum=%ld jumps=%ld got=%d\n", sum, jumps, static_cast<int>(got));
    return 0;
}
