// C++ test program of tests/dwarf_unit: inheritance, references, `this`, namespaces, a class
// passed by invisible reference. Built -O0 and -O2, x86_64 only (the i386 cases are C).
struct Base {
    int b1;
    long b2;
};

class Derived : public Base {
  public:
    int d1;
    explicit Derived(int v) : Base{v, v + 1L}, d1(v * 2) {}
    __attribute__((noinline)) int method(int &ref, const Derived &other) const;
    static int count;
};

int Derived::count = 4;

int Derived::method(int &ref, const Derived &other) const {
    ref += d1;
    return b1 + other.d1 + ref + count;
}

namespace ns {
struct Inner {
    int q;
};
int ns_global = 5;
__attribute__((noinline)) int twice(Inner in) {
    return 2 * in.q;
}
} // namespace ns

struct NonTrivial {
    int v;
    NonTrivial(int x) : v(x) {}
    NonTrivial(const NonTrivial &o) : v(o.v + 1) {}
    ~NonTrivial() { v = 0; }
};

__attribute__((noinline)) int take_nt(int a, NonTrivial nt) {
    return a + nt.v;
}

__attribute__((noinline)) NonTrivial make_nt(int x) {
    return NonTrivial(x * 3);
}

int main(int argc, char **) {
    Derived d(argc), e(argc + 1);
    int r = argc;
    r += d.method(r, e) + ns::twice(ns::Inner{argc}) + take_nt(argc, NonTrivial(argc)) +
         make_nt(argc).v;
    return r > 1000 + ns::ns_global;
}
