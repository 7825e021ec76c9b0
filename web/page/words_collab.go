package page

import "strings"

// qualityReasonWords name the coded reasons a file was not acceptable
// (throughline.QualityReasons), for the record and the unit dashboard.
var qualityReasonWords = map[string]string{
	"missing_statements": "Statements missing", "no_victim_account": "No account from the complainant",
	"no_suspect_interview": "No record of the suspect's interview", "no_digital_review": "Digital material not reviewed",
	"forensic_outstanding": "Forensic results outstanding", "medical_outstanding": "Medical evidence outstanding",
	"third_party_not_reviewed": "Third-party material not reviewed", "unused_not_scheduled": "Unused material not scheduled",
	"mg3_incomplete": "Report to the prosecutor (MG3) incomplete", "previous_convictions_missing": "Previous convictions or bad character missing",
	"other": "Another reason (say in the comments)",
}

// QualityReasonName is a file-quality reason's code in words.
func QualityReasonName(code string) string {
	if w, ok := qualityReasonWords[code]; ok {
		return w
	}
	return Sentence(strings.ReplaceAll(code, "_", " "))
}
