package throughline

import (
	"fmt"
	"strings"
)

// Proposed is one event offered to Import, with the line it came from.
type Proposed struct {
	Line  int
	Event Event
}

// Rejected is a proposed event the domain refused, and why.
type Rejected struct {
	Line int
	Err  error
}

func (r Rejected) Error() string {
	return fmt.Sprintf("line %d: %s", r.Line, ErrorMessage(r.Err))
}

// ImportResult says what Import did.
type ImportResult struct {
	Events  int
	Cases   int
	Skipped []Rejected
}

// ImportError lists every event refused when nothing was imported.
type ImportError struct{ Rejected []Rejected }

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d event(s) refused, nothing imported", len(e.Rejected))
	for i, r := range e.Rejected {
		if i == 20 {
			fmt.Fprintf(&b, "\n… and %d more", len(e.Rejected)-20)
			break
		}
		b.WriteString("\n" + r.Error())
	}
	return b.String()
}
