// libFuzzer target for the front end: any byte string is a script; parsing and elaboration
// must never crash, hang or leak, whatever they report. Built by scripts/fuzz-frontend.
#include "session.h"

#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ktap::Options opts;
    opts.from_text = true;
    opts.script_text.assign(reinterpret_cast<const char *>(data), size);
    opts.args = {"1", "word"};
    opts.tapset_dir = KTAP_FUZZ_TAPSET_DIR;
    std::ostringstream sink;
    ktap::Session session(opts, sink);
    if (session.parse())
        session.elaborate();
    return 0;
}
