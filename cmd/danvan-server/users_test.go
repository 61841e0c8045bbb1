package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// "users add" reaches a running server over its admin socket; the user
// then signs in to the pages the server serves, and the sign-in is in
// "users audit".
func TestUsersAddThenSignInToTheRunningServer(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, dir)
	defer stop()
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("ngắn\n")
	if code, _, stderr := runCmd(t, "users", "add", "--data", dir, "Lan"); code != 1 || !strings.Contains(stderr, "at least 10 characters") {
		t.Fatalf("a short password: %d %q", code, stderr)
	}
	stdin = strings.NewReader("mật khẩu của Lan 2026\n")
	code, stdout, stderr := runCmd(t, "users", "add", "--data", dir, "--communes", "23368", "--sensitive", "Nguyễn Thị Lan")
	if code != 0 || !strings.Contains(stdout, "communes 23368") {
		t.Fatalf("users add: %d %q %q", code, stdout, stderr)
	}
	stdin = strings.NewReader("mật khẩu của Lan 2026\n")
	if code, _, stderr := runCmd(t, "users", "add", "--data", dir, "nguyen thi lan"); code != 1 || !strings.Contains(stderr, "exists already") {
		t.Fatalf("the same name again: %d %q", code, stderr)
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.Get(base + "/province/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(string(page), "Đăng nhập") {
		t.Fatalf("the province page before sign-in: %d, want the sign-in form", resp.StatusCode)
	}
	resp, err = hc.PostForm(base+"/province/login", url.Values{"csrf": {string(m[1])}, "name": {"Nguyễn Thị Lan"}, "password": {"mật khẩu của Lan 2026"}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Toàn tỉnh") {
		t.Fatalf("after sign-in: %d\n%s", resp.StatusCode, page)
	}
	code, stdout, _ = runCmd(t, "users", "list", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "Nguyễn Thị Lan") || !strings.Contains(stdout, "23368") {
		t.Fatalf("users list: %d %q", code, stdout)
	}
	code, stdout, _ = runCmd(t, "users", "audit", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "sign_in") || strings.Contains(stdout, "mật khẩu") {
		t.Fatalf("users audit: %d %q", code, stdout)
	}
	if code, stdout, _ := runCmd(t, "users", "remove", "--data", dir, "Nguyễn Thị Lan"); code != 0 || !strings.Contains(stdout, "removed") {
		t.Fatalf("users remove: %d %q", code, stdout)
	}
	// The removed user's session ends at its next request.
	resp, err = hc.Get(base + "/province/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `name="password"`) {
		t.Error("a removed user's session still opens the province page")
	}
}
