package throughline

// Feedback stages: the key stages after which the portal asks.
const (
	FeedbackCharge   = "charge"
	FeedbackVerdict  = "verdict"
	FeedbackSentence = "sentence"
)

// FeedbackStage is the survey a case at stage (Stage…) asks
// for, or "" for none.
func FeedbackStage(stage string) string {
	switch stage {
	case StageCharged, StageCrownCourt, StageTrial, StageRetrial:
		return FeedbackCharge
	case StageConvicted, StageAcquitted:
		return FeedbackVerdict
	case StageSentenced:
		return FeedbackSentence
	}
	return ""
}

// MaxFeedbackComment is the longest comment kept, in characters.
const MaxFeedbackComment = 1200

// Feedback is one victim's answer.
type Feedback struct {
	ID            int64
	CaseRef       string
	ComplainantID string
	Stage         string
	Rating        int
	Comment       string // empty if none, or if the case has been erased
	GivenAt       string
}

// FeedbackStages are the stages, in the order a case reaches them.
var FeedbackStages = []string{FeedbackCharge, FeedbackVerdict, FeedbackSentence}

// FeedbackCount is how many answers of one rating were given at one stage,
// on the cases of one force and CPS area, in one month (YYYY-MM, by the
// day the answer was given): victims' feedback rolled up, with no case and
// no comment in it.
type FeedbackCount struct {
	Force, CPSArea string
	Stage          string
	Month          string
	Rating         int
	Answers        int
}
