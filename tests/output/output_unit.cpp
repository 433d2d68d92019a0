// Unit tests of compiler/output: -S rotation, histogram buckets and markers, bytes in JSON,
// metric specs and the two metrics text formats.
#include "output/histogram.h"
#include "output/metrics.h"
#include "output/output_file.h"
#include "output/output_sink.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace ktap {
namespace {

std::string read_file(const std::string &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST(Rotation, ParsesStapForm) {
    Rotation r;
    std::string error;
    ASSERT_TRUE(parse_rotation("2", r, error));
    EXPECT_EQ(r.max_bytes, 2u << 20);
    EXPECT_EQ(r.max_files, 0u);
    ASSERT_TRUE(parse_rotation("1,5", r, error));
    EXPECT_EQ(r.max_files, 5u);
    for (const char *bad : {"", "0", "x", "1,", "1,0", "1,x", "-1", "1;2"})
        EXPECT_FALSE(parse_rotation(bad, r, error)) << bad;
}

TEST(Rotation, SwitchesBetweenLinesAndKeepsTheNewest) {
    char dir[] = "/tmp/ktap-rot.XXXXXX";
    ASSERT_TRUE(mkdtemp(dir));
    std::string base = std::string(dir) + "/out";
    {
        OutputFile f;
        std::string error;
        ASSERT_TRUE(f.open(base, Rotation{30, 2}, error)) << error;
        for (int i = 0; i < 10; ++i)
            f.write("line " + std::to_string(i) + "\n"); // 7 bytes: 4 lines per 30 bytes
        f.write("a line longer than a whole file of thirty bytes\n");
        f.write("last\n");
        EXPECT_EQ(f.lost_bytes(), 0u);
    }
    // 0: lines 0-3, 1: 4-7, 2: 8-9, 3: the long line alone, 4: last; two kept.
    EXPECT_NE(access((base + ".2").c_str(), F_OK), 0);
    EXPECT_EQ(read_file(base + ".3"), "a line longer than a whole file of thirty bytes\n");
    EXPECT_EQ(read_file(base + ".4"), "last\n");
    std::system(("rm -rf " + std::string(dir)).c_str());
}

TEST(Histogram, LogBucketsHoldStapValues) {
    Histogram h;
    h.log = true;
    h.nbuckets = 128;
    EXPECT_EQ(*h.bucket(64).min, 0);
    EXPECT_EQ(*h.bucket(64).max, 0);
    EXPECT_EQ(*h.bucket(65).min, 1);
    EXPECT_EQ(*h.bucket(65).max, 1);
    EXPECT_EQ(*h.bucket(67).min, 4);
    EXPECT_EQ(*h.bucket(67).max, 7);
    EXPECT_EQ(*h.bucket(63).min, -1);
    EXPECT_EQ(*h.bucket(63).max, -1);
    EXPECT_EQ(*h.bucket(61).min, -7);
    EXPECT_EQ(*h.bucket(61).max, -4);
    EXPECT_EQ(*h.bucket(127).max, LLONG_MAX);
    EXPECT_EQ(*h.bucket(0).min, LLONG_MIN);
}

TEST(Histogram, LinearBucketsWithUnderAndOverflow) {
    Histogram h;
    h.log = false;
    h.lo = -4;
    h.width = 2;
    h.nbuckets = 12; // (14 - -4) / 2 + 3
    EXPECT_FALSE(h.bucket(0).min);
    EXPECT_EQ(*h.bucket(0).max, -5);
    EXPECT_EQ(*h.bucket(1).min, -4);
    EXPECT_EQ(*h.bucket(1).max, -3);
    EXPECT_EQ(*h.bucket(10).min, 14);
    EXPECT_FALSE(h.bucket(11).max);
    EXPECT_EQ(*h.bucket(11).min, 16);
}

TEST(Histogram, ParsesTheRuntimeMarker) {
    Histogram h;
    std::string m = std::string("\x06HN -4 2 12 5 20 -3 9 1:2 7:3\x07") + "rest";
    EXPECT_EQ(parse_hist_marker(m, h), m.size() - 4);
    EXPECT_FALSE(h.log);
    EXPECT_EQ(h.count, 5);
    EXPECT_EQ(h.min, -3);
    ASSERT_EQ(h.used.size(), 2u);
    EXPECT_EQ(h.used[1], std::make_pair(7, int64_t{3}));
    for (const char *bad : {"\x06HN 1 2\x07", "\x06HX 0 0 1 0 0 0 0\x07",
                            "\x06HL 0 0 128 1 1 1 1 200:1\x07", "\x06HL 0 0 128 1 1 1 1"})
        EXPECT_EQ(parse_hist_marker(bad, h), 0u) << bad;
}

TEST(Json, BytesThatAreNotUtf8KeepTheirExactForm) {
    nlohmann::ordered_json e;
    set_bytes(e, "data", "caf\xc3\xa9\n");
    EXPECT_EQ(e["data"], "caf\xc3\xa9\n");
    EXPECT_FALSE(e.contains("data_base64"));
    set_bytes(e, "data", std::string("a\xff\xc0\x80z", 5));
    EXPECT_EQ(e["data"], "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
    EXPECT_EQ(e["data_base64"], "Yf/AgHo=");
}

TEST(Json, OutputEventsAreWholeLines) {
    char path[] = "/tmp/ktap-json.XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    {
        OutputFile f;
        std::string error;
        ASSERT_TRUE(f.open(path, {}, error));
        OutputSink sink(OutputFormat::Json, f);
        sink.script_output("one\ntw");
        sink.script_output("o\n\x06HL 0 0 128 1 4 4 4 67:1\x07"
                           "three");
        sink.finish();
    }
    EXPECT_EQ(read_file(path),
              "{\"type\":\"output\",\"data\":\"one\\n\"}\n"
              "{\"type\":\"output\",\"data\":\"two\\n\"}\n"
              "{\"type\":\"hist\",\"kind\":\"log\",\"count\":1,\"sum\":4,\"min\":4,\"max\":4,"
              "\"buckets\":[{\"min\":4,\"max\":7,\"count\":1}]}\n"
              "{\"type\":\"output\",\"data\":\"three\"}\n");
    unlink(path);
}

TEST(Metrics, SpecsAndTheirErrors) {
    MetricSpec s;
    std::string error;
    ASSERT_TRUE(parse_metric_spec("reqs:counter:method,code", s, error));
    EXPECT_EQ(s.kind, MetricKind::Counter);
    EXPECT_EQ(s.labels, (std::vector<std::string>{"method", "code"}));
    ASSERT_TRUE(parse_metric_spec("reqs:method", s, error));
    EXPECT_EQ(s.kind, MetricKind::Auto);
    EXPECT_EQ(s.labels, std::vector<std::string>{"method"});
    for (const char *bad : {"", "1x", "a:b:c:d", "a:bogus:x", "a:counter:le", "a:counter:x-y"})
        EXPECT_FALSE(parse_metric_spec(bad, s, error)) << bad;
}

TEST(Metrics, CountersAreNamedAsEachFormatWants) {
    MetricSpec spec;
    spec.global = "reqs";
    spec.kind = MetricKind::Counter;
    spec.labels = {"method"};
    GlobalValue v;
    v.name = "reqs";
    v.is_array = true;
    ScalarValue n;
    n.number = 7;
    v.entries.push_back({{std::string("GE\"T")}, n});
    std::vector<std::pair<MetricSpec, GlobalValue>> m = {{spec, v}};
    EXPECT_EQ(render_metrics(m, MetricsFormat::OpenMetrics),
              "# TYPE reqs counter\n# HELP reqs ktap script global reqs\n"
              "reqs_total{method=\"GE\\\"T\"} 7\n# EOF\n");
    EXPECT_EQ(render_metrics(m, MetricsFormat::Prometheus),
              "# TYPE reqs_total counter\n# HELP reqs_total ktap script global reqs\n"
              "reqs_total{method=\"GE\\\"T\"} 7\n");
}

} // namespace
} // namespace ktap
