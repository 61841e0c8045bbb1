package province

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"danvan/data"
	"danvan/i18n"
	"danvan/report"
	dsync "danvan/sync"
)

// Prefix is where the pages are served.
const Prefix = "/province/"

// Cookie names.
const (
	cookieSession = "danvan_session"
	cookieLogin   = "danvan_login_csrf"
	cookieLang    = "danvan_lang"
)

//go:embed templates/*.html templates/style.css
var templateFS embed.FS

// Config configures the pages.
type Config struct {
	// Storage is the server's storage: the records, and (as a MetaStore)
	// the users, sessions and audit. Required.
	Storage dsync.Storage
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// Logger receives errors (never record content); nil discards.
	Logger *slog.Logger
}

// Handler serves the province's pages under Prefix.
type Handler struct {
	cfg  Config
	view *View
	ms   MetaStore
	mux  *http.ServeMux
	tmpl *template.Template
	css  []byte
	log  *slog.Logger
}

// New returns the pages over cfg.Storage.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, view: NewView(cfg.Storage), ms: cfg.Storage, mux: http.NewServeMux(), log: cfg.Logger}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.tmpl = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	h.css, _ = templateFS.ReadFile("templates/style.css")
	h.mux.HandleFunc("GET "+Prefix+"login", h.loginPage)
	h.mux.HandleFunc("POST "+Prefix+"login", h.login)
	h.mux.HandleFunc("POST "+Prefix+"logout", h.signedIn(h.logout))
	h.mux.HandleFunc("GET "+Prefix+"style.css", h.style)
	h.mux.HandleFunc("GET "+Prefix+"lang/{lang}", h.setLang)
	h.mux.HandleFunc("GET "+Prefix+"{$}", h.signedIn(h.provincePage))
	h.mux.HandleFunc("GET "+Prefix+"export.xlsx", h.signedIn(h.provinceXLSX))
	h.mux.HandleFunc("GET "+Prefix+"search", h.signedIn(h.searchPage))
	h.mux.HandleFunc("GET "+Prefix+"commune/{code}", h.signedIn(h.communePage))
	h.mux.HandleFunc("GET "+Prefix+"commune/{code}/report.xlsx", h.signedIn(h.communeXLSX))
	h.mux.HandleFunc("GET "+Prefix+"commune/{code}/village/{id}", h.signedIn(h.villagePage))
	h.mux.HandleFunc("GET "+Prefix+"commune/{code}/village/{id}/summary.pdf", h.signedIn(h.villagePDF))
	h.mux.HandleFunc(Prefix, func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, http.StatusNotFound, "web.err.not_found")
	})
	return h
}

// View returns the handler's view of the communes (for benchmarks).
func (h *Handler) View() *View { return h.view }

// Close releases the communes' in-memory copies.
func (h *Handler) Close() { h.view.Close() }

// ServeHTTP serves one page with the security headers every page has.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cache-Control", "no-store")
	h.mux.ServeHTTP(w, r)
}

// page is what every template gets.
type page struct {
	Lang    i18n.Lang
	Other   i18n.Lang
	Title   string
	User    *User
	CSRF    string
	Path    string
	Error   string
	Content any
}

func langOf(r *http.Request) i18n.Lang {
	if c, err := r.Cookie(cookieLang); err == nil {
		return i18n.ParseLang(c.Value)
	}
	return i18n.VI
}

func other(l i18n.Lang) i18n.Lang {
	if l == i18n.EN {
		return i18n.VI
	}
	return i18n.EN
}

// secure says whether cookies get the Secure flag: always, but on plain
// HTTP to a loopback address (a test or a local look).
func secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

func (h *Handler) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode})
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	p.Lang = langOf(r)
	p.Other = other(p.Lang)
	p.Path = r.URL.RequestURI()
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		h.log.Error("render page", "page", name, "err", err.Error())
		http.Error(w, "500", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail answers an error page with a message in the user's language.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, msgID string, args ...any) {
	l := langOf(r)
	p := &page{Title: i18n.Translate(l, "web.error"), Error: i18n.Translate(l, msgID, args...), User: userOf(r)}
	if s := sessionOf(r); s != nil {
		p.CSRF = s.CSRF
	}
	h.render(w, r, status, "error.html", p)
}

// serverError logs err (what failed, with attrs such as the commune) and
// answers 500 with a message in the user's language, no details.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, what string, err error, attrs ...any) {
	h.log.Error(what, append(attrs, "err", err.Error())...)
	h.fail(w, r, http.StatusInternalServerError, "web.err.server")
}

type ctxKey int

const (
	keyUser ctxKey = iota
	keySession
)

func userOf(r *http.Request) *User {
	u, _ := r.Context().Value(keyUser).(*User)
	return u
}

func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(keySession).(*session)
	return s
}

// signedIn lets f run only for a signed-in user whose account still
// exists; a POST must carry the session's CSRF token.
func (h *Handler) signedIn(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var token string
		if c, err := r.Cookie(cookieSession); err == nil {
			token = c.Value
		}
		s, err := getSession(r.Context(), h.ms, token, h.cfg.Now())
		var u *User
		if err == nil {
			u, err = getUser(r.Context(), h.ms, s.User)
		}
		if err != nil {
			if !errors.Is(err, errNoSession) && !errors.Is(err, ErrBadLogin) {
				h.log.Error("session", "err", err.Error())
			}
			if r.Method != http.MethodGet {
				h.fail(w, r, http.StatusForbidden, "web.err.signed_out")
				return
			}
			http.Redirect(w, r, Prefix+"login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), s.CSRF) {
			h.fail(w, r, http.StatusForbidden, "web.err.csrf")
			return
		}
		ctx := context.WithValue(context.WithValue(r.Context(), keyUser, u), keySession, s)
		f(w, r.WithContext(ctx))
	}
}

func sameToken(a, b string) bool {
	return a != "" && len(a) == len(b) && subtleEq(a, b)
}

func (h *Handler) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(h.css)
}

func (h *Handler) setLang(w http.ResponseWriter, r *http.Request) {
	l := i18n.ParseLang(r.PathValue("lang"))
	http.SetCookie(w, &http.Cookie{Name: cookieLang, Value: string(l), Path: Prefix, MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// localNext keeps a redirect inside the pages.
func localNext(next string) string {
	if !strings.HasPrefix(next, Prefix) || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return Prefix
	}
	return next
}

type loginContent struct {
	Name string
	Next string
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	csrf := newToken()
	h.setCookie(w, r, cookieLogin, csrf, 3600)
	l := langOf(r)
	h.render(w, r, http.StatusOK, "login.html", &page{Title: i18n.Translate(l, "web.login.title"), CSRF: csrf,
		Content: loginContent{Next: localNext(r.URL.Query().Get("next"))}})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<14)
	l := langOf(r)
	c, err := r.Cookie(cookieLogin)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		h.fail(w, r, http.StatusForbidden, "web.err.csrf")
		return
	}
	name, pw := r.PostFormValue("name"), r.PostFormValue("password")
	next := localNext(r.PostFormValue("next"))
	now := h.cfg.Now()
	u, err := SignIn(r.Context(), h.ms, name, pw, now)
	from := clientIP(r)
	if err != nil {
		msg, status := "web.login.bad", http.StatusUnauthorized
		action := AuditSignInFailed
		switch {
		case errors.Is(err, ErrLocked):
			msg, status, action = "web.login.locked", http.StatusTooManyRequests, AuditLocked
		case !errors.Is(err, ErrBadLogin):
			h.log.Error("sign in", "err", err.Error())
			msg, status = "web.err.server", http.StatusInternalServerError
		}
		_ = audit(r.Context(), h.ms, AuditEntry{When: now, User: data.NFC(strings.TrimSpace(name)), Action: action, From: from})
		csrf := newToken()
		h.setCookie(w, r, cookieLogin, csrf, 3600)
		h.render(w, r, status, "login.html", &page{Title: i18n.Translate(l, "web.login.title"), CSRF: csrf,
			Error: i18n.Translate(l, msg, "Minutes", int(LockFor.Minutes())), Content: loginContent{Name: name, Next: next}})
		return
	}
	token, _, err := newSession(r.Context(), h.ms, u.Name, now)
	if err != nil {
		h.serverError(w, r, "sign in", err)
		return
	}
	_ = audit(r.Context(), h.ms, AuditEntry{When: now, User: u.Name, Action: AuditSignIn, From: from})
	h.setCookie(w, r, cookieLogin, "", -1)
	h.setCookie(w, r, cookieSession, token, int(SessionFor.Seconds()))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieSession); err == nil {
		_ = endSession(r.Context(), h.ms, c.Value)
	}
	h.setCookie(w, r, cookieSession, "", -1)
	http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
}

// period reads ?period= (ParsePeriod's forms), this year by default; a
// period it cannot read is answered 400 with the forms it takes, and false.
func (h *Handler) period(w http.ResponseWriter, r *http.Request) (report.Period, bool) {
	s := strings.TrimSpace(r.URL.Query().Get("period"))
	if s == "" {
		return report.ThisYear.Period(data.DateOf(h.cfg.Now())), true
	}
	p, err := report.ParsePeriod(s)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, "web.err.period", "Period", clip(s))
		return report.Period{}, false
	}
	return p, true
}

// communeAllowed answers 403 (and false) when the user may not see code.
func (h *Handler) communeAllowed(w http.ResponseWriter, r *http.Request, code string) bool {
	u := userOf(r)
	if _, ok := data.CommuneByCode(code); !ok {
		h.fail(w, r, http.StatusNotFound, "web.err.no_commune", "Code", code)
		return false
	}
	if !u.Sees(code) {
		h.fail(w, r, http.StatusForbidden, "web.err.forbidden")
		return false
	}
	return true
}

func (h *Handler) options(r *http.Request) report.Options {
	return report.Options{Lang: langOf(r), Now: h.cfg.Now(), Cadre: "-", Unit: ""}
}

// write sends a file download.
func download(w http.ResponseWriter, name, ctype string, write func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	_, err := w.Write(buf.Bytes())
	return err
}

// sortRows sorts the province's rows by a column key (figureColumns, or
// "name"), descending when desc, ties by commune code; a commune without
// a figure (no on-time rate) sorts below every other.
func sortRows(rows []CommuneRow, key string, desc bool) {
	value := func(*CommuneRow) (float64, bool) { return 0, false }
	byName := true
	for _, c := range figureColumns {
		if c.key == key {
			value, byName = c.value, false
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if !byName {
			a, aok := value(&rows[i])
			b, bok := value(&rows[j])
			if !aok {
				a = -1
			}
			if !bok {
				b = -1
			}
			if a != b {
				return (a > b) == desc
			}
		} else if c := data.CompareVietnamese(rows[i].Commune.Name, rows[j].Commune.Name); c != 0 {
			return (c < 0) != desc
		}
		return rows[i].Commune.Code < rows[j].Commune.Code
	})
}
