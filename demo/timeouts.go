package main

import (
	"net/http"
	"time"
)

// The demo server's timeouts: a client that sends its headers or body
// slowly, or keeps a connection open and idle, is cut off, so idle
// keep-alive connections cannot pile up. There is no write timeout: a slow
// link must still be able to download the 47 MB of MNIST.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 60 * time.Second
)

// httpServer is the http.Server for handler h; idle is how long a keep-alive
// connection may stay idle before the server closes it.
func httpServer(h http.Handler, idle time.Duration) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout, IdleTimeout: idle}
}
