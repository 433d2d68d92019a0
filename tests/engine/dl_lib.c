/* A library that t_dlopen loads, probes, unloads and reloads (T15). */
volatile int dl_sink;

__attribute__((noinline)) int dl_fn(int x) {
    dl_sink++;
    return x * 7;
}

__attribute__((noinline)) int dl_outer(int x) {
    dl_sink++;
    int r = dl_fn(x);
    dl_sink = r;
    return r + 1;
}
