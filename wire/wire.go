// Package wire puts the capabilities into the store: the rules the store
// applies inside its transactions without importing them (see
// throughline.Rules and docs/adr/0010). cmd/throughline opens its store
// with Rules, and so do the tests and benchmarks, so that every store runs
// the same rules.
package wire

import (
	"throughline"
	"throughline/comms"
	"throughline/deadline"
	"throughline/oversight"
)

// Rules are the store's rules: deadlines computed by package deadline;
// messages owed, free-text checks and delivery records by package comms;
// each case's records in the measures' roll-up by package oversight.
func Rules() throughline.Rules {
	return throughline.Rules{Projector: throughline.ProjectorFunc(deadline.Compute), Consequences: comms.Consequences{},
		Measurer: throughline.MeasurerFunc(oversight.Records)}
}
