// C++ for tests/dwarf's cxx case: `this`, members reached through it (a base class's too),
// a parameter passed by const reference, an int& out-parameter, a namespace. Prints its own
// view of each value in the format the cxx case's script prints ktap's view.
#include <cstdio>

namespace shapes {

struct Base {
    int id = 7;
    virtual ~Base() {}
};

struct Point : Base {
    int x, y;
    Point(int a, int b) : x(a), y(b) {}
    __attribute__((noipa)) int sum(int k) const;
};

int Point::sum(int k) const {
    std::printf("sum x=%d y=%d id=%d k=%d\n", x, y, id, k);
    return x + y + k;
}

__attribute__((noipa)) int by_ref(const Point &p, int &out) {
    std::printf("by_ref px=%d out=%d\n", p.x, out);
    out = p.x * 2;
    return out;
}

} // namespace shapes

int main() {
    shapes::Point p(3, 4);
    int o = 5;
    for (int i = 0; i < 3; i++) {
        p.sum(i);
        shapes::by_ref(p, o);
        p.x += 10;
    }
    return 0;
}
