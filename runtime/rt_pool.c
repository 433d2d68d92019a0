/* kretprobe instance pools: allocated at registration, a lock-free LIFO afterwards.
 *
 * The head packs (tag << 32 | index + 1); the tag changes on every successful update, so a
 * thread preempted between reading the head and its compare-and-swap cannot succeed on a stale
 * next pointer (ABA). No locks: safe in signal handlers and when a thread dies mid-operation. */
#include "kt_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static size_t instance_stride(size_t data_size) {
    size_t s = sizeof(struct kt_instance) + data_size;
    return (s + 15) & ~(size_t)15;
}

/* The pool's memory is only reserved here: an instance is first handed out from the untouched
 * part (pool->fresh), so a return probe costs the memory of the instances it ever had in flight
 * at once, not of maxactive (4096 by default: 256 KiB and more per probe). */
int kt_pool_init(struct kt_pool *pool, uint32_t count, size_t data_size, uint32_t probe_id) {
    size_t stride = instance_stride(data_size);
    size_t bytes = stride * count;
    void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return KT_ENOMEM;
    pool->base = mem;
    pool->count = count;
    pool->stride = (uint32_t)stride;
    pool->fresh = 0;
    pool->probe_id = probe_id;
    pool->head = 0; /* not yet visible to the probe path */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    return KT_OK;
}

/* An instance never handed out before, or NULL when all were. */
static struct kt_instance *take_fresh(struct kt_pool *pool) {
    uint32_t n = __atomic_load_n(&pool->fresh, __ATOMIC_RELAXED);
    do {
        if (n >= pool->count)
            return NULL;
    } while (!__atomic_compare_exchange_n(&pool->fresh, &n, n + 1, 1, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    struct kt_instance *inst = (struct kt_instance *)(pool->base + (size_t)n * pool->stride);
    inst->probe_id = pool->probe_id;
    return inst;
}

static inline uint64_t load_head(struct kt_pool *pool) {
#if defined(__x86_64__)
    return __atomic_load_n(&pool->head, __ATOMIC_ACQUIRE);
#else
    /* i386: two 32-bit loads; a torn value only makes the following CAS fail. */
    volatile uint32_t *h = (volatile uint32_t *)&pool->head;
    uint32_t lo = h[0];
    uint32_t hi = h[1];
    return (uint64_t)hi << 32 | lo;
#endif
}

/* 64-bit compare-and-swap; i386 spells cmpxchg8b out (with -mgeneral-regs-only gcc would call
 * libatomic instead). On failure *expected receives the current value. */
static inline int cas64(uint64_t *p, uint64_t *expected, uint64_t desired) {
#if defined(__x86_64__)
    return __atomic_compare_exchange_n(p, expected, desired, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
#else
    unsigned char ok;
    __asm__ __volatile__("lock cmpxchg8b %1\n\tsete %0"
                         : "=q"(ok), "+m"(*p), "+A"(*expected)
                         : "b"((uint32_t)desired), "c"((uint32_t)(desired >> 32))
                         : "memory", "cc");
    return ok;
#endif
}

static inline uint32_t index_of(struct kt_pool *pool, struct kt_instance *inst) {
    return (uint32_t)(((char *)inst - pool->base) / pool->stride);
}

struct kt_instance *kt_pool_get(struct kt_pool *pool) {
    uint64_t head = load_head(pool);
    for (;;) {
        uint32_t idx = (uint32_t)head;
        if (idx == 0)
            return take_fresh(pool);
        struct kt_instance *inst =
            (struct kt_instance *)(pool->base + (size_t)(idx - 1) * pool->stride);
        uint32_t next = __atomic_load_n(&inst->next, __ATOMIC_RELAXED);
        uint64_t nh = (((head >> 32) + 1) << 32) | next;
        if (cas64(&pool->head, &head, nh))
            return inst;
    }
}

void kt_pool_put(struct kt_pool *pool, struct kt_instance *inst) {
    uint32_t idx = index_of(pool, inst) + 1;
    uint64_t head = load_head(pool);
    for (;;) {
        __atomic_store_n(&inst->next, (uint32_t)head, __ATOMIC_RELAXED);
        uint64_t nh = (((head >> 32) + 1) << 32) | idx;
        if (cas64(&pool->head, &head, nh))
            break;
    }
}
