// Package page is the GOV.UK component kit of the staff pages: typed view
// models of the components (components.go), their templates, the shared
// layout and navigation (layout.go), form error summaries (forms.go),
// rendering into a buffer (render.go), what every staff page handler
// shares (base.go), the words several audiences use (words.go) and the
// embedded assets (assets.go).
package page

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	"throughline"
)

//go:embed templates
var templateFS embed.FS

// funcs are the helpers the templates may call. The component helpers give
// a nested option (a label, hint or error) the id of the control it belongs
// to, as the Nunjucks macros do.
var funcs = template.FuncMap{
	"labelFor": func(l *Label, id string) Label {
		out := *l
		out.For = id
		return out
	},
	"hintFor": func(h *Hint, id string) Hint {
		out := *h
		out.ID = id + "-hint"
		return out
	},
	"errorFor": func(e *ErrorMessage, id string) ErrorMessage {
		out := *e
		out.ID = id + "-error"
		return out
	},
	"choices": func(kind string, c Choices) choicesData {
		typ := "radio"
		if kind == "checkboxes" {
			typ = "checkbox"
		}
		return choicesData{Kind: kind, Type: typ, Group: c}
	},
	"actionLink": func(l ActionLink, t *CardTitle) actionLinkData { return actionLinkData{Link: l, Title: t} },
	"roleName":   throughline.RoleName,
	"agencyName": func(id string) string { a, _ := throughline.ParseAgency(id); return a.Name() },
	"join":       strings.Join,
	"urlPath":    url.PathEscape,
	"oidcButton": func(name, next string) Button {
		href := "/sign-in/oidc"
		if next != "" {
			href += "?next=" + url.QueryEscape(next)
		}
		return Button{Text: "Sign in with " + name, Href: href, Classes: "govuk-button--secondary"}
	},
}

type choicesData struct {
	Kind  string // radios or checkboxes
	Type  string // radio or checkbox
	Group Choices
}

// pages are the parsed templates: each page is the shared layout and
// components plus its own file.
var (
	pagesOnce sync.Once
	pages     map[string]*template.Template
	pagesErr  error
)

func loadPages() (map[string]*template.Template, error) {
	pagesOnce.Do(func() {
		base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.tmpl")
		if err != nil {
			pagesErr = fmt.Errorf("templates: %w", err)
			return
		}
		files, err := fs.Glob(templateFS, "templates/pages/*.tmpl")
		if err != nil {
			pagesErr = err
			return
		}
		pages = map[string]*template.Template{}
		for _, f := range files {
			t, err := base.Clone()
			if err == nil {
				t, err = t.ParseFS(templateFS, f)
			}
			if err != nil {
				pagesErr = fmt.Errorf("template %s: %w", f, err)
				return
			}
			pages[strings.TrimSuffix(path.Base(f), ".tmpl")] = t
		}
	})
	return pages, pagesErr
}

// Load parses every page template, so that a fault in one fails the
// server's construction rather than a request.
func Load() error {
	_, err := loadPages()
	return err
}

// Component renders one named component template with data: a component
// inside another's HTML, and tests.
func Component(name string, data any) (string, error) {
	ps, err := loadPages()
	if err != nil {
		return "", err
	}
	for _, t := range ps {
		var b bytes.Buffer
		err := t.ExecuteTemplate(&b, name, data)
		return b.String(), err
	}
	return "", errors.New("no page templates")
}

// Render executes page name's layout with data into a buffer and writes it,
// with status, only if that succeeded: a template fault (or a panic in one)
// is returned with nothing written, never half a page.
func Render(w http.ResponseWriter, status int, name string, data any) error {
	var b bytes.Buffer
	err := func() (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("panic rendering %s: %v", name, v)
			}
		}()
		ps, err := loadPages()
		if err != nil {
			return err
		}
		t, ok := ps[name]
		if !ok {
			return fmt.Errorf("no page template %q", name)
		}
		return t.ExecuteTemplate(&b, "layout", data)
	}()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
	return nil
}

// PlainError is the page of last resort: no template, no data.
func PlainError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sorry, there is a problem with the service – Throughline</title><link rel="stylesheet" href="/assets/govuk-frontend.min.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>
<p class="govuk-body">Try again later. What you were doing has not been saved unless the page said so.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Go to your cases</a></p>
</main></div></body></html>
`)
}
