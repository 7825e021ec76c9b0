package deadline

import "throughline"

// ComputeWith is Compute with the given rule table instead of the built-in
// one, for tests that change a row and see the deadlines change. Nothing
// global is touched, so such tests may run in parallel with any other.
func ComputeWith(events []throughline.Event, rows []Rule) ([]throughline.Deadline, error) {
	rt, err := newRules(rows)
	if err != nil {
		return nil, err
	}
	return compute(events, rt), nil
}
