package page

import "html/template"

// WorkList is the view of a page of work lists (template "worklist"): a
// today page, the deadline and victim-contact lists.
type WorkList struct {
	Layout
	Heading string
	Intro   string
	Links   []ActionLink
	Filter  *Choices
	Action  string
	Apply   Button
	Clear   string
	Lists   []WorkTable
}

// WorkTable is one list of a work list page: a table, or the sentence
// shown when it is empty.
type WorkTable struct {
	Heading string
	Table   Table
	Empty   string
	More    string
}

// TagHTML renders a tag for use inside another component (a table cell).
func TagHTML(t Tag) template.HTML {
	h, err := Component("govukTag", t)
	if err != nil {
		return template.HTML(template.HTMLEscapeString(t.Text))
	}
	return template.HTML(h)
}
