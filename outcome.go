package throughline

// HearingOutcomeIsNews reports whether a hearing of the given kind ("trial",
// "ptph", "sentence", ...) held with the given outcome ("effective",
// "cracked", "ineffective") is news of its own for the victim: something to
// tell them, and so a message to send (comms) and a Victims' Code duty to
// tell them of it (deadline).
//
// An effective trial is not: the trial went ahead, and what the victim needs
// to know is its result, the verdict, which is news and a duty of its own.
// Telling them "the trial was held" as well would be a second message about
// one day that says less than the first. The same holds for an effective
// sentence hearing: its news is the sentence. Every other outcome is news:
// a cracked or ineffective trial means the trial the victim prepared for
// did not happen as listed.
//
// It is the one statement of the rule; comms and deadline both call it.
func HearingOutcomeIsNews(kind, outcome string) bool {
	return outcome != "effective" || (kind != "trial" && kind != "sentence")
}
