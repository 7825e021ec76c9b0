package oversight

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	"throughline"
	"throughline/attribution"
)

// AttributionStore is what attributing every case from the kept facts
// reads: the roll-up, read in parts at once, and one case's log for the few
// it cannot answer.
type AttributionStore interface {
	EachCaseFactsSplit(ctx context.Context, parts int, fn func(part int, record []byte) error) error
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// KeptFacts is what EachKept reads of a case's facts.
type KeptFacts struct {
	Case        string            `json:"case"`
	Force       string            `json:"force"`
	Area        string            `json:"area"`
	Attribution *attribution.Kept `json:"attribution"`
	Quality     []Dated           `json:"quality"`
}

// EachKept calls fn with the attribution kept in every case's facts, and
// what else a reader of it needs, in reference order: one read of the
// roll-up (each yields its records: a store's EachCaseFacts), decoding only
// these fields. fn may keep nothing of k past its return but copies.
func EachKept(each func(fn func(record []byte) error) error, fn func(k *KeptFacts) error) error {
	var k KeptFacts
	return each(func(b []byte) error {
		k = KeptFacts{Quality: k.Quality[:0]}
		if !k.quick(b) {
			k = KeptFacts{}
			if err := json.Unmarshal(b, &k); err != nil {
				return fmt.Errorf("a case's facts in the roll-up: %w", err)
			}
		}
		return fn(&k)
	})
}

var keyAttribution, keyQuality = []byte(`"attribution":`), []byte(`"quality":`)

// quick reads a record's attribution and quality without decoding the rest
// of it — most of a record, and most of the time a full decode takes. A
// record is one JSON object written by Record, so each of its keys appears
// once, and any match of `"attribution":` is that key: a quotation mark
// inside a string is escaped, and no nested object has such a key. Record
// writes the attribution and the quality last, so they are looked for from
// the end, and only their values are read (attribution.ReadKept). A record
// that keeps no attribution, or one it cannot read so, is left to the full
// decode.
func (k *KeptFacts) quick(b []byte) bool {
	i := bytes.LastIndex(b, keyAttribution)
	if i < 0 {
		return false
	}
	b = b[i+len(keyAttribution):]
	a, n, ok := attribution.ReadKept(b)
	if !ok {
		return false
	}
	k.Case, k.Force, k.Area, k.Attribution = a.Case, a.Force, a.Area, &a
	if i := bytes.Index(b[n:], keyQuality); i >= 0 {
		v := b[n+i+len(keyQuality):]
		if json.Unmarshal(v[:valueEnd(v)], &k.Quality) != nil {
			return false
		}
	}
	return true
}

// valueEnd is the length of the JSON array or object at the start of b
// (its brackets counted outside its strings), or of b if it does not end.
func valueEnd(b []byte) int {
	depth, in := 0, false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case in:
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(b)
}

// Result is the case's attribution as of asOf (toTrial: to its first
// trial), and false when its log must be read for it: its record keeps none
// (written before it was kept, and not yet rebuilt) or its log is
// backdated (attribution.Kept).
func (k *KeptFacts) Result(asOf time.Time, toTrial bool) (attribution.Result, bool) {
	if k.Attribution == nil || k.Attribution.Backdated {
		return attribution.Result{}, false
	}
	return k.Attribution.Result(asOf, toTrial), true
}

// EachAttribution calls add with every case's Result as of asOf (toTrial:
// counted to its first trial) from the attribution kept in each case's
// facts: one read of the roll-up, no fold; a case its facts cannot answer
// (KeptFacts.Result) is attributed from its own log. The results are
// attribution.EachFromLog's, without the case references, in no particular
// order; add is called by one goroutine at a time.
//
// The roll-up is read in a part per processor at once (the store's
// EachCaseFactsSplit), each part's records read where they are read, with
// one attribution.KeptReader a part and nothing else of them but the
// attribution: nothing is allocated per record but what the store reads.
func EachAttribution(ctx context.Context, s AttributionStore, asOf time.Time, toTrial bool, add func(attribution.Result)) error {
	type part struct {
		r       attribution.KeptReader
		results []attribution.Result
	}
	const batch = 4096
	var (
		mu    sync.Mutex // add and again
		again []string
		parts = make([]part, runtime.GOMAXPROCS(0))
	)
	flush := func(p *part, later string) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range p.results {
			add(r)
		}
		p.results = p.results[:0]
		if later != "" {
			again = append(again, later)
		}
	}
	err := s.EachCaseFactsSplit(ctx, len(parts), func(i int, rec []byte) error {
		p := &parts[i]
		if k := quickKept(&p.r, rec); k != nil {
			if p.results = append(p.results, k.Result(asOf, toTrial)); len(p.results) == batch {
				flush(p, "")
			}
			return nil
		}
		// No attribution kept, a backdated log, or a form the quick
		// reader does not know: the few that are read whole.
		var f KeptFacts
		if err := json.Unmarshal(rec, &f); err != nil {
			return fmt.Errorf("a case's facts in the roll-up: %w", err)
		}
		if r, ok := f.Result(asOf, toTrial); ok {
			p.results = append(p.results, r)
			flush(p, "")
		} else {
			flush(p, f.Case)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := range parts {
		flush(&parts[i], "")
	}
	for _, ref := range again {
		evs, err := s.Events(ctx, ref)
		if err != nil {
			return err
		}
		if toTrial {
			add(attribution.SpansToTrial(evs, asOf))
		} else {
			add(attribution.Spans(evs, asOf))
		}
	}
	return nil
}

// quickKept reads the attribution kept in a case's facts record into r, as
// KeptFacts.quick does, when it is there, in the form it knows, and not
// backdated (whose case reference, which r does not read, the caller
// needs); otherwise nil.
func quickKept(r *attribution.KeptReader, rec []byte) *attribution.Kept {
	i := bytes.LastIndex(rec, keyAttribution) // from the end, where Record writes it
	if i < 0 {
		return nil
	}
	if _, ok := r.Read(rec[i+len(keyAttribution):]); !ok || r.Kept.Backdated {
		return nil
	}
	return &r.Kept
}

// StallStore is what the stalled list reads through Stalls: the candidate
// cases, their facts in the roll-up and, for the few these cannot answer,
// their logs.
type StallStore interface {
	Cases(ctx context.Context, f throughline.CaseFilter) ([]throughline.CaseSummary, error)
	CaseFactsOf(ctx context.Context, refs []string, fn func(record []byte) error) error
	Events(ctx context.Context, ref string) ([]throughline.Event, error)
}

// Stalls is the attribution.CaseSource of a store: the attribution kept in
// each case's facts, and the day of its latest event, answer for the case
// without its log.
type Stalls struct{ StallStore }

// Kept calls fn with the attribution kept in the facts of each case of
// refs that keeps one (a record written before it was kept does not).
func (s Stalls) Kept(ctx context.Context, refs []string, fn func(k *attribution.Kept, last attribution.Day) error) error {
	return s.CaseFactsOf(ctx, refs, func(rec []byte) error {
		f, err := Decode(rec)
		if err != nil || f.Attribution == nil {
			return err
		}
		return fn(f.Attribution, attribution.Day(f.Last))
	})
}
