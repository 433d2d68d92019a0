/* The library the attach tests inject (x86_64 and i386 builds). */
int ktap_testlib_marker = 0;

__attribute__((constructor)) static void testlib_init(void) { ktap_testlib_marker = 1234; }

long ktap_testlib_value(long x) { return x * 7 + ktap_testlib_marker; }
