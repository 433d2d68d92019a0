/* The demo target of `make demo`: a small "server" that handles requests of varying cost and
 * prints a checksum of its work, so that a traced run can be compared with an untraced one.
 *   demo-server [REQUESTS]   (default 2000) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Busy work proportional to `cost` (no sleeping: latency comes from computation). */
__attribute__((noinline)) static unsigned long spin(unsigned long cost) {
    unsigned long long h = 1469598103934665603ULL;
    for (unsigned long i = 0; i < cost; i++)
        h = (h ^ i) * 1099511628211ULL;
    return (unsigned long)(h ^ (h >> 32));
}

/* One request: most are cheap, every 16th is expensive, a few are very slow. */
__attribute__((noinline)) unsigned long process_request(int id) {
    unsigned long cost = 2000 + (unsigned long)(id % 7) * 500;
    if (id % 16 == 0)
        cost *= 20;
    if (id % 250 == 0)
        cost *= 200;
    return spin(cost);
}

__attribute__((noinline)) int parse_header(const char *line) {
    int n = 0;
    while (line[n] && line[n] != ':')
        n++;
    return n;
}

int main(int argc, char **argv) {
    int requests = argc > 1 ? atoi(argv[1]) : 2000;
    unsigned long sum = 0;
    static const char *headers[] = {"Host: example.org", "Accept: */*", "User-Agent: demo"};
    for (int i = 0; i < requests; i++) {
        sum += (unsigned long)parse_header(headers[i % 3]);
        sum ^= process_request(i);
    }
    printf("demo-server: handled %d requests, checksum %lx\n", requests, sum);
    return 0;
}
