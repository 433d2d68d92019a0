// cxx [N]: calls ns::C::method(i) N times (default 100) and the template instances
// twice<int> and twice<long> N times each; prints the calls and the sums of the results.
#include <cstdio>
#include <cstdlib>
#include "probed.h"

volatile long sink;

namespace ns {
struct C {
    int base;
    PROBED int method(int x);
};

PROBED int C::method(int x)
{
    sink = x;
    return base + x;
}
}  // namespace ns

template <typename T> PROBED T twice(T v)
{
    sink = (long)v;
    return v * 2;
}

template int twice<int>(int);
template long twice<long>(long);

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;
    ns::C c{5};
    long msum = 0, ti = 0, tl = 0;
    for (int i = 0; i < n; i++) {
        msum += c.method(i);
        ti += twice<int>(i);
        tl += twice<long>((long)i * 3);
    }
    std::printf("method_calls=%d\nmethod_sum=%ld\n", n, msum);
    std::printf("twice_int_calls=%d\ntwice_int_sum=%ld\n", n, ti);
    std::printf("twice_long_calls=%d\ntwice_long_sum=%ld\n", n, tl);
    return 0;
}
