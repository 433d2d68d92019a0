// A module's call-frame information (.eh_frame, else .debug_frame) compiled into the closed
// rule set of the target's unwinder (runtime/include/ktap/unwind.h): per row, how to find the
// CFA, the return address (always *(CFA - word)) and the caller's frame pointer. Rows the rule
// set cannot express are KT_UW_INVALID (the unwinder then tries the frame pointer or stops).
// See docs/backtraces.md.
#pragma once

#include "ktap/unwind.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ktap::dwarf {

struct CfiTable {
    std::vector<uint64_t> pcs;     // link-time row starts, ascending
    std::vector<kt_uw_rule> rules; // rules[i] holds from pcs[i] to pcs[i + 1]
    uint64_t end = 0;              // end of the last row (an INVALID row starts there)
    // The FDEs' ranges (link-time), ascending and disjoint: one per function (a .cold part has
    // its own). usymname() in the target names the function of an address by its FDE's start.
    std::vector<std::pair<uint64_t, uint64_t>> funcs;
    size_t fdes = 0;               // FDEs read
    size_t invalid_rows = 0;       // rows the rule set could not express
    std::string source;            // ".eh_frame", ".debug_frame" or "" (none)
};

// Compiles the file at PATH (word_size 64 or 32). False + error when the file cannot be read;
// a file without CFI gives an empty table and true.
bool compile_cfi(const std::string &path, int word_size, CfiTable &out, std::string &error);

// Bytes of the call-frame information compile_cfi would read (.eh_frame, else .debug_frame);
// 0 when there is none or the file cannot be read. About 5 bytes a row, 0.1 ms per KiB.
uint64_t cfi_bytes(const std::string &path);

// The same for an ELF image in memory (the vDSO, read from the target).
bool compile_cfi_image(const void *image, size_t size, int word_size, CfiTable &out,
                       std::string &error);

} // namespace ktap::dwarf
