package linkcheck

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

// TestPrivateAddresses: by default a link to an address inside the
// network the check runs in is not asked for: the server never sees a
// request, and the result says why. AllowPrivate asks for it.
func TestPrivateAddresses(t *testing.T) {
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("http_proxy", "")
	t.Setenv("https_proxy", "")
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { asked.Add(1) }))
	defer srv.Close()
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	urls := []string{srv.URL + "/", "http://localhost" + port + "/", "http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
		"http://[::1]" + port + "/", "http://192.168.1.1/reboot", "http://100.64.0.1/"}
	results, err := New(Options{Interval: -1}).Check(context.Background(), urls)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Status != Skipped || r.Reason == nil || !strings.Contains(r.Reason.Error(), "is a private or local address") {
			t.Errorf("%s: %s %v; want it skipped as private", r.URL, r.Status, r.Reason)
		}
	}
	if n := asked.Load(); n != 0 {
		t.Errorf("the server was asked %d times", n)
	}
	results, err = New(Options{Interval: -1, AllowPrivate: true}).Check(context.Background(), urls[:1])
	if err != nil || results[0].Status != OK || asked.Load() == 0 {
		t.Errorf("with AllowPrivate: %+v, %v, asked %d", results, err, asked.Load())
	}
}

func TestPrivate(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.0.1": true,
		"169.254.169.254": true, "fe80::1": true, "fc00::1": true, "0.0.0.0": true, "100.64.0.1": true,
		"::ffff:127.0.0.1": true, "224.0.0.1": true, "0.1.2.3": true, "198.18.0.1": true, "240.0.0.1": true,
		"64:ff9b::a00:1": true, "2002:c0a8:101::1": true, "::7f00:1": true, "64:ff9b::808:808": false,
		"8.8.8.8": false, "202.108.22.5": false, "2001:4860:4860::8888": false, "100.128.0.1": false,
	} {
		if got := private(netip.MustParseAddr(addr)); got != want {
			t.Errorf("private(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestGuardedDialer: the dialer itself refuses a private address, so a
// name resolved again to one (DNS rebinding) is refused too.
func TestGuardedDialer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	_, err := guardedDialer()(context.Background(), "tcp", strings.TrimPrefix(srv.URL, "http://"))
	var pe *privateError
	if !errors.As(err, &pe) {
		t.Errorf("dialing %s: %v, want a private address refused", srv.URL, err)
	}
}
