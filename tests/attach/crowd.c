/* argv[1] threads that block in pause(); prints "ready" once all run, then waits on stdin and
 * exits 0. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_int running;

static void *idle(void *arg) {
    atomic_fetch_add(&running, 1);
    for (;;)
        pause();
    return arg;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 100;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (int i = 0; i < n; ++i) {
        pthread_t t;
        if (pthread_create(&t, &attr, idle, NULL) != 0)
            return 2;
    }
    while (atomic_load(&running) < n)
        usleep(1000);
    printf("ready\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    printf("bye\n");
    return 0;
}
