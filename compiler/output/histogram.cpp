#include "histogram.h"

#include <charconv>
#include <limits>

namespace ktap {

namespace {

// Log buckets (runtime/lang/kt_stat.c, stap's _stp_val_to_bucket): 64 holds 0; 64 + m holds
// the values whose highest set bit is bit m-1; 64 - m their negatives.
constexpr int32_t kLogZero = 64;

} // namespace

HistBucket Histogram::bucket(int32_t index) const {
    HistBucket b;
    if (log) {
        int32_t m = index - kLogZero;
        if (m == 0) {
            b.min = b.max = 0;
        } else if (m > 0) {
            b.min = int64_t(1) << (m - 1);
            b.max = m >= 63 ? std::numeric_limits<int64_t>::max() : (int64_t(1) << m) - 1;
        } else if (m == -kLogZero) {
            b.min = b.max = std::numeric_limits<int64_t>::min(); // INT64_MIN alone
        } else {
            m = -m;
            b.max = -(int64_t(1) << (m - 1));
            b.min = m >= 63 ? -std::numeric_limits<int64_t>::max() : -((int64_t(1) << m) - 1);
        }
        return b;
    }
    if (index <= 0) {
        b.max = lo - 1; // underflow
    } else if (index >= nbuckets - 1) {
        b.min = lo + int64_t(nbuckets - 2) * width; // overflow
    } else {
        b.min = lo + int64_t(index - 1) * width;
        b.max = *b.min + width - 1;
    }
    return b;
}

size_t parse_hist_marker(std::string_view text, Histogram &hist) {
    if (text.size() < 4 || text[0] != '\x06' || text[1] != 'H')
        return 0;
    size_t end = text.find('\x07');
    if (end == std::string_view::npos || (text[2] != 'L' && text[2] != 'N'))
        return 0;
    Histogram h;
    h.log = text[2] == 'L';
    const char *p = text.data() + 3, *stop = text.data() + end;
    auto number = [&](int64_t &v) {
        if (p >= stop || *p != ' ')
            return false;
        auto r = std::from_chars(p + 1, stop, v);
        if (r.ec != std::errc())
            return false;
        p = r.ptr;
        return true;
    };
    int64_t nb = 0;
    if (!number(h.lo) || !number(h.width) || !number(nb) || !number(h.count) || !number(h.sum) ||
        !number(h.min) || !number(h.max) || nb <= 0 || nb > 1 << 20)
        return 0;
    h.nbuckets = static_cast<int32_t>(nb);
    while (p < stop) {
        int64_t index = 0, count = 0;
        if (!number(index) || p >= stop || *p != ':')
            return 0;
        auto r = std::from_chars(p + 1, stop, count);
        if (r.ec != std::errc() || index < 0 || index >= nb)
            return 0;
        p = r.ptr;
        h.used.emplace_back(static_cast<int32_t>(index), count);
    }
    hist = std::move(h);
    return end + 1;
}

} // namespace ktap
