/* The library dlopener loads while it is being traced. */
__attribute__((noinline)) int late_work(int x) {
    int r = 0;
    for (int i = 0; i < x % 5; i++)
        r += i * x;
    return r + 3 * x;
}
