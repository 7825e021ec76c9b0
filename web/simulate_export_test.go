package web

// SimRuns is the number of comparisons the simulator page has started.
func SimRuns() int64 { return simRuns.Load() }
