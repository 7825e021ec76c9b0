package throughline

import (
	"fmt"
	"time"
)

// Problem is one break in the log's integrity.
type Problem struct {
	Position int64  // global position of the first bad event, 0 if none exists
	Case     string // its case
	Version  int64  // its version in the case
	What     string
}

func (p Problem) String() string {
	if p.Case == "" {
		return p.What
	}
	if p.Version == 0 {
		return fmt.Sprintf("case %s: %s", p.Case, p.What)
	}
	return fmt.Sprintf("case %s event %d (position %d): %s", p.Case, p.Version, p.Position, p.What)
}

// VerifyResult is what Verify found.
type VerifyResult struct {
	Cases    int64
	Events   int64
	Problems []Problem // the first problem of each broken case, earliest first; then the checkpoints'
	// Checkpoint is the latest signed checkpoint, nil if none was taken.
	// Its signature is checked by VerifySignatures.
	Checkpoint *CheckpointInfo
}

// CheckpointInfo describes one checkpoint.
type CheckpointInfo struct {
	ID        int64
	TakenAt   time.Time
	Cases     int64 // cases in the log then
	Events    int64 // events in the log then
	Moved     int   // heads sealed by this checkpoint: cases' and, of those, Logs
	Logs      int   // heads of the consultation and administrators' logs' chains sealed
	Root      []byte
	Signature []byte
}
