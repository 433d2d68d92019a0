/* Shared by the ktap target test programs. PROBED marks a function a test script probes: it
 * must stay an out-of-line function with its own symbol and the standard calling convention at
 * every optimisation level (no inlining, no .constprop/.isra clones, no IPA assumptions about
 * its body in the caller), so the program's own view of its calls equals what a probe sees. */
#ifndef KTAP_TARGET_PROBED_H
#define KTAP_TARGET_PROBED_H
#define PROBED __attribute__((noipa, used))
#endif
