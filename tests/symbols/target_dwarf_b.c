/* Second source file of target_dwarf.c: functions for @FILE patterns. */
#define NOINLINE __attribute__((noinline))

NOINLINE int dw_two(int x) { return x * 11 - 4; } /* decl:dw_two */

NOINLINE int dw_other(int x) { return x ^ 0x3c; } /* decl:dw_other */
