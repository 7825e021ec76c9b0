package sqlstore

import "throughline"

// The Store implements every storage service of the root package.
var (
	_ throughline.CaseReader     = (*Store)(nil)
	_ throughline.CaseLog        = (*Store)(nil)
	_ throughline.DeadlineReader = (*Store)(nil)
	_ throughline.Outbox         = (*Store)(nil)
	_ throughline.Consultations  = (*Store)(nil)
	_ throughline.Teams          = (*Store)(nil)
	_ throughline.FeedbackStore  = (*Store)(nil)
	_ throughline.WorkReader     = (*Store)(nil)
)
