package page

import (
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"strings"
)

// static holds our own app.css and app.js and, once `make assets` has run,
// vendor/: the GOV.UK Frontend and MoJ Frontend files copied from
// node_modules. The tree builds without vendor/ (pages then lack styles).
//
//go:embed static
var static embed.FS

// assetFS serves /assets/: vendor/ first (the stylesheets ask for
// /assets/fonts/… and /assets/images/…), then our own files.
type assetFS struct{ fs.FS }

func (a assetFS) Open(name string) (fs.File, error) {
	if f, err := a.FS.Open("static/vendor/" + name); err == nil {
		return f, nil
	}
	if strings.HasPrefix(name, "vendor/") {
		return nil, fs.ErrNotExist
	}
	return a.FS.Open("static/" + name)
}

// VendorAssets reports whether the front-end packages were embedded (the
// binary was built after `make assets`).
func VendorAssets() bool {
	_, err := fs.Stat(static, "static/vendor/govuk-frontend.min.css")
	return err == nil
}

// Assets serves the embedded static files with long caching for the
// vendored, versioned ones.
func Assets() http.Handler {
	files := http.StripPrefix("/assets/", http.FileServerFS(assetFS{static}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/assets/")
		if name == "" || strings.HasSuffix(name, "/") {
			http.NotFound(w, r)
			return
		}
		if _, err := fs.Stat(assetFS{static}, name); errors.Is(err, fs.ErrNotExist) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
