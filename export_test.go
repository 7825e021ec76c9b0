package throughline

// The two halves of checkShape, for the test that they agree.
var (
	ScanShape = scanShape
	WalkShape = walkShape
)
