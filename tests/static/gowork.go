// gowork: a Go program for ktap's tests (tests/static). Two modes:
//
//	gowork N G     G goroutines each call work(i) for i = 0..N-1 (work calls leaf once); prints
//	               the calls and the sum of work's results
//	gowork serve G G goroutines call work in a loop until standard input reaches its end;
//	               prints "ready pid=PID" first, then the calls made and whether every result
//	               equalled the same sum computed without the probed functions ("ok")
//
// Built statically by the Go toolchain (no libc): ktap's freestanding agent, handlers on the
// engine's own stacks, return probes refused.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

//go:noinline
func leaf(i int) int { return i % 3 }

//go:noinline
func work(i int) int { return i%7 + leaf(i) }

func batch(g int) {
	n, _ := strconv.Atoi(os.Args[1])
	var wg sync.WaitGroup
	sums := make([]int, g)
	for k := 0; k < g; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			s := 0
			for i := 0; i < n; i++ {
				s += work(i)
			}
			sums[k] = s
		}(k)
	}
	wg.Wait()
	t := 0
	for _, s := range sums {
		t += s
	}
	fmt.Printf("work_calls=%d\nwork_sum=%d\n", n*g, t)
}

func serve(g int) {
	var stop, calls, bad int64
	var wg sync.WaitGroup
	for k := 0; k < g; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; atomic.LoadInt64(&stop) == 0; i++ {
				if work(i) != i%7+i%3 {
					atomic.AddInt64(&bad, 1)
				}
				atomic.AddInt64(&calls, 1)
			}
		}()
	}
	fmt.Printf("ready pid=%d\n", os.Getpid())
	in := bufio.NewReader(os.Stdin)
	for {
		if _, err := in.ReadString('\n'); err != nil {
			break
		}
	}
	atomic.StoreInt64(&stop, 1)
	wg.Wait()
	if bad == 0 {
		fmt.Printf("calls>0=%v ok\n", calls > 0)
	} else {
		fmt.Printf("MISMATCH bad=%d\n", bad)
	}
}

func main() {
	g := 4
	if len(os.Args) > 2 {
		g, _ = strconv.Atoi(os.Args[2])
	}
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		serve(g)
	} else {
		batch(g)
	}
}
