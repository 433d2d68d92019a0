/* i386 side of the regex cross-check (t_regex.cc): prints every rendered case, one a line. */
#include "regex_cases.h"

static void emit(const char *line, void *user) {
    (void)user;
    printf("%s\n", line);
}

int main(void) {
    regex_cross_run(emit, 0, regex_cross_extra, REGEX_NCROSS_EXTRA);
    return 0;
}
