/* Second unit: defines the struct prog.c knows only as a declaration, and a file-static with
 * the same name as prog.c's (found with @var("file_static@prog_b.c")). */
#include "prog.h"

struct opaque {
    int secret;
    long more;
};

static int file_static = 11;

__attribute__((noinline)) int b_unit(struct opaque *o) {
    file_static += o ? o->secret : 1;
    return (o ? (int)o->more : 0) + file_static;
}
