// Reader/writer locks, output rings (fill, wrap-around, drops, producer vs draining consumer),
// and concurrent `<<<` inserts into a statistics array under read locks.
#include "lang_test.h"

#include <atomic>
#include <thread>
#include <vector>

TEST(Lock, ReadersShareWritersExclude) {
    TestArena a(4, 4096, 1 << 16);
    uint64_t l = a.alloc(kt_lock_bytes());
    kt_lock_init(a.mem + l);
    EXPECT_TRUE(kt_lock_read(&a.ctx, l));
    EXPECT_TRUE(kt_lock_read(&a.ctx, l));   // readers share
    EXPECT_FALSE(kt_lock_write(&a.ctx, l)); // bounded spin, then give up
    EXPECT_EQ(a.hdr()->skipped, 1);
    kt_unlock_read(&a.ctx, l);
    kt_unlock_read(&a.ctx, l);
    EXPECT_TRUE(kt_lock_write(&a.ctx, l));
    EXPECT_FALSE(kt_lock_read(&a.ctx, l));
    EXPECT_FALSE(kt_lock_write(&a.ctx, l));
    EXPECT_EQ(a.hdr()->skipped, 3);
    kt_unlock_write(&a.ctx, l);
    EXPECT_TRUE(kt_lock_read(&a.ctx, l));
    kt_unlock_read(&a.ctx, l);
}

TEST(Lock, TwoThreadsKeepACounterConsistent) {
    TestArena a(4, 4096, 1 << 16);
    uint64_t l = a.alloc(kt_lock_bytes());
    kt_lock_init(a.mem + l);
    a.hdr()->maxtrylock = 1 << 30; // effectively wait: we test exclusion, not giving up
    volatile kt_long counter = 0;
    std::atomic<long> reads_ok{0};
    auto writer = [&] {
        kt_ctx c;
        kt_ctx_init(&c, a.mem, 0);
        for (int i = 0; i < 100000; i++) {
            ASSERT_TRUE(kt_lock_write(&c, l));
            kt_long v = counter; // non-atomic read-modify-write: only safe under the lock
            counter = v + 1;
            counter = counter + 1;
            kt_unlock_write(&c, l);
        }
    };
    auto reader = [&] {
        kt_ctx c;
        kt_ctx_init(&c, a.mem, 0);
        for (int i = 0; i < 100000; i++) {
            ASSERT_TRUE(kt_lock_read(&c, l));
            if (counter % 2 == 0) // a writer never leaves an odd value behind
                reads_ok++;
            kt_unlock_read(&c, l);
        }
    };
    std::thread w1(writer), w2(writer), r(reader);
    w1.join();
    w2.join();
    r.join();
    EXPECT_EQ(counter, 400000);
    EXPECT_EQ(reads_ok.load(), 100000);
}

TEST(Ring, RecordsComeOutInOrder) {
    TestArena a(2, 4096, 4096);
    kt_out_str(&a.ctx, "hello ");
    kt_out_long(&a.ctx, 42);
    kt_out(&a.ctx, "", 0);
    kt_out(&a.ctx, "\0x", 2);
    EXPECT_EQ(a.drain(), std::string("hello 42\0x", 10));
    EXPECT_EQ(a.drain(), "");
}

TEST(Ring, FullRingDropsAndCounts) {
    TestArena a(1, 4096, 4096);
    std::string rec(100, 'r'); // 108 bytes with the 8-byte header
    int stored = 0;
    for (int i = 0; i < 50; i++) {
        kt_out(&a.ctx, rec.data(), (uint32_t)rec.size());
        if (a.hdr()->dropped_records == 0)
            stored++;
    }
    EXPECT_EQ(stored, 4096 / 108);
    EXPECT_EQ(a.hdr()->dropped_records, 50 - stored);
    EXPECT_EQ(a.hdr()->dropped_bytes, (50 - stored) * 100);
    std::string out = a.drain();
    EXPECT_EQ(out.size(), (size_t)stored * 100);
    // A record that can never fit is dropped too.
    std::string huge(5000, 'h');
    kt_out(&a.ctx, huge.data(), (uint32_t)huge.size());
    EXPECT_EQ(a.hdr()->dropped_records, 50 - stored + 1);
    // Drained space is reusable.
    kt_out_str(&a.ctx, "again");
    EXPECT_EQ(a.drain(), "again");
}

TEST(Ring, WrapAroundKeepsRecordsWhole) {
    TestArena a(1, 4096, 4096);
    std::string expect, got;
    for (int i = 0; i < 2000; i++) {
        std::string rec = "record-" + std::to_string(i) + std::string(i % 97, '.') + "\n";
        kt_out(&a.ctx, rec.data(), (uint32_t)rec.size());
        expect += rec;
        if (i % 7 == 6)
            got += a.drain();
    }
    got += a.drain();
    EXPECT_EQ(a.hdr()->dropped_records, 0);
    EXPECT_EQ(got, expect);
    EXPECT_GT(a.hdr()->size, 0u);
    // positions wrapped many times
    kt_slot *s = (kt_slot *)(a.mem + a.hdr()->slots_off) + a.ctx.slot;
    EXPECT_GT(s->ring_head, 10u * 4096);
    EXPECT_EQ(s->ring_head, s->ring_tail);
}

TEST(Ring, DrainMergesSlotsInCommitOrder) {
    // Output of several threads comes out in the order it was written, whatever their slot
    // numbers (a begin probe on one thread, then timers on others, then end).
    TestArena a(8, 4096, 4096);
    std::vector<kt_ctx> c(5);
    for (int i = 0; i < 5; i++) {
        kt_ctx_init(&c[i], a.mem, 0);
        ASSERT_GE(kt_slot_claim(&c[i], 7000 + 13 * i), 0);
    }
    std::string expect, got;
    for (int round = 0; round < 50; round++) {
        int who = (round * 7 + round / 3) % 5;
        std::string r = std::to_string(round) + "@" + std::to_string(who) + " ";
        kt_out(&c[who], r.data(), (uint32_t)r.size());
        expect += r;
        if (round == 20)
            got += a.drain(); // draining midway keeps the order too
    }
    got += a.drain();
    EXPECT_EQ(got, expect);
}

TEST(Ring, DrainStopsBeforeARecordThatDoesNotFit) {
    TestArena a(1, 4096, 4096);
    kt_out_str(&a.ctx, "12345");
    kt_out_str(&a.ctx, "6789");
    std::string buf(7, '\0');
    EXPECT_EQ(kt_drain(a.mem, buf.data(), 7), 5u); // whole records only
    EXPECT_EQ(buf.substr(0, 5), "12345");
    EXPECT_EQ(a.drain(), "6789");
}

TEST(Ring, ProducerThreadsAgainstADrainingConsumer) {
    TestArena a(4, 1 << 12, 4096);
    constexpr int kRecords = 200000;
    std::atomic<int> done{0};
    auto producer = [&](int id) {
        kt_ctx c;
        kt_ctx_init(&c, a.mem, 0);
        ASSERT_GE(kt_slot_claim(&c, (int32_t)gettid()), 0);
        for (int i = 0; i < kRecords; i++) {
            // Variable-length records: "<id>:<i>;" padded with i%13 '+'.
            std::string r =
                std::to_string(id) + ":" + std::to_string(i) + std::string(i % 13, '+') + ";";
            kt_out(&c, r.data(), (uint32_t)r.size());
        }
        done++;
    };
    std::thread p1(producer, 1), p2(producer, 2);
    std::string all;
    std::vector<char> buf(1 << 16);
    for (;;) {
        bool finished = done.load() == 2;
        uint64_t n = kt_drain(a.mem, buf.data(), buf.size());
        all.append(buf.data(), n);
        if (finished && n == 0)
            break;
    }
    p1.join();
    p2.join();
    // Every record arrives whole and in order per producer; the rest were dropped and counted.
    int64_t received = 0, last[3] = {-1, -1, -1};
    size_t pos = 0;
    while (pos < all.size()) {
        size_t semi = all.find(';', pos);
        ASSERT_NE(semi, std::string::npos);
        std::string r = all.substr(pos, semi - pos);
        size_t colon = r.find(':');
        ASSERT_NE(colon, std::string::npos) << r;
        int id = std::stoi(r.substr(0, colon));
        std::string num = r.substr(colon + 1);
        size_t plus = num.find('+');
        int i = std::stoi(num.substr(0, plus));
        ASSERT_EQ(num.size() - (plus == std::string::npos ? num.size() : plus), (size_t)(i % 13));
        ASSERT_TRUE(id == 1 || id == 2);
        ASSERT_GT(i, last[id]);
        last[id] = i;
        received++;
        pos = semi + 1;
    }
    EXPECT_EQ(received + a.hdr()->dropped_records, 2 * kRecords);
    EXPECT_GT(received, 0);
}

TEST(Concurrency, StatsArrayInsertsUnderReadLocks) {
    // `a[k] <<< v` from several threads holding only read locks: inserts serialise inside the
    // map, each key is created once, and every sample lands.
    TestArena a(8, 4096, 64 << 20);
    uint64_t l = a.alloc(kt_lock_bytes());
    kt_lock_init(a.mem + l);
    uint64_t m = a.map(1, 0, KT_STATS, 1024);
    a.hdr()->maxtrylock = 1 << 30;
    auto worker = [&](int id) {
        kt_ctx c;
        kt_ctx_init(&c, a.mem, 0);
        ASSERT_GE(kt_slot_claim(&c, (int32_t)gettid()), 0);
        for (int i = 0; i < 50000; i++) {
            kt_key k = K(i % 500);
            ASSERT_TRUE(kt_lock_read(&c, l));
            int32_t e = kt_map_insert(&c, m, &k);
            ASSERT_GE(e, 0);
            kt_stat_add(&c, kt_map_stat(&c, m, e), id);
            kt_unlock_read(&c, l);
        }
    };
    std::vector<std::thread> ts;
    for (int id = 1; id <= 3; id++)
        ts.emplace_back(worker, id);
    for (auto &t : ts)
        t.join();
    EXPECT_EQ(kt_map_count(&a.ctx, m), 500);
    kt_long total = 0, sum = 0;
    for (int k = 0; k < 500; k++) {
        kt_key key = K(k);
        int32_t e = kt_map_find(&a.ctx, m, &key);
        ASSERT_GE(e, 0);
        kt_long n = kt_stat_get(&a.ctx, kt_map_stat(&a.ctx, m, e), KT_AGG_COUNT, 0);
        EXPECT_EQ(n, 300);
        total += n;
        sum += kt_stat_get(&a.ctx, kt_map_stat(&a.ctx, m, e), KT_AGG_SUM, 0);
    }
    EXPECT_EQ(total, 150000);
    EXPECT_EQ(sum, 50000 * (1 + 2 + 3));
}

TEST(Lock, ReadersOnManySlotsAgainstAWriter) {
    // Readers on different lanes (slots) and a writer: the writer never overlaps a reader.
    TestArena a(32, 4096, 1 << 16);
    uint64_t l = a.alloc(kt_lock_bytes());
    kt_lock_init(a.mem + l);
    a.hdr()->maxtrylock = 1 << 30;
    std::atomic<int> inside{0};
    std::atomic<bool> overlap{false};
    auto reader = [&](int id) {
        kt_ctx c;
        kt_ctx_init(&c, a.mem, 0);
        ASSERT_GE(kt_slot_claim(&c, 9000 + id), 0);
        for (int i = 0; i < 20000; i++) {
            ASSERT_TRUE(kt_lock_read(&c, l));
            inside.fetch_add(1);
            if (inside.load() < 0)
                overlap = true;
            inside.fetch_sub(1);
            kt_unlock_read(&c, l);
        }
    };
    auto writer = [&] {
        kt_ctx c;
        kt_ctx_init(&c, a.mem, 0);
        ASSERT_GE(kt_slot_claim(&c, 9999), 0);
        for (int i = 0; i < 5000; i++) {
            ASSERT_TRUE(kt_lock_write(&c, l));
            if (inside.exchange(-1000) != 0)
                overlap = true;
            inside.store(0);
            kt_unlock_write(&c, l);
        }
    };
    std::vector<std::thread> ts;
    for (int i = 0; i < 3; i++)
        ts.emplace_back(reader, i);
    ts.emplace_back(writer);
    for (auto &t : ts)
        t.join();
    EXPECT_FALSE(overlap.load());
}
