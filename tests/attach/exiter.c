/* Exits (exit_group) after argv[1] microseconds while two other threads sleep: for attaching
 * to a process that is exiting. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

static void *nap(void *arg) {
    for (;;) {
        struct timespec ts = {0, 100 * 1000};
        nanosleep(&ts, NULL);
    }
    return arg;
}

int main(int argc, char **argv) {
    pthread_t t;
    pthread_create(&t, NULL, nap, NULL);
    pthread_create(&t, NULL, nap, NULL);
    long us = argc > 1 ? atol(argv[1]) : 1000;
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
    exit(0);
}
