/* Types shared by the two units of the dwarf_unit test program. */
#ifndef DWARF_UNIT_PROG_H
#define DWARF_UNIT_PROG_H

struct point {
    int x, y;
};
struct two_longs {
    long a, b;
};
struct big {
    long v[5];
};
union num {
    int i;
    float f;
    char bytes[4];
};
enum color { RED, GREEN = 5, BLUE = -1 };
typedef unsigned int my_t;
struct bits {
    unsigned a : 3;
    signed b : 5;
    unsigned c : 12;
    int whole;
};
struct node {
    struct node *next;
    int value;
};
struct with_anon {
    int tag;
    union {
        int i;
        long l;
    };
    struct {
        short s1, s2;
    };
};
struct opaque; /* defined only in prog_b.c */
struct arrays {
    int four[4];
    char grid[2][3];
};

int b_unit(struct opaque *o);

#endif
