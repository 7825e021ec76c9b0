package comms

import (
	"regexp"
	"strings"
	"unicode"
)

// Plain English is a duty, not a style: the Victims' Code asks for
// information a victim can understand, and the design brief asks for a
// reading age of about 9. The limits below are checked against every
// template in both languages by the tests (see docs/adr/0202).
const (
	// MaxSentenceWords bounds every sentence, in English and Welsh.
	MaxSentenceWords = 20
	// MinFleschEnglish is the lowest Flesch reading ease an English
	// message may score: 70 is "fairly easy", read by most 12-year-olds.
	MinFleschEnglish = 70
	// MaxMeanWordLenWelsh bounds the mean letters per word of a Welsh
	// message. Flesch is calibrated on English syllables and Welsh has no
	// validated readability formula, so Welsh messages are held to short
	// sentences and short words instead.
	MaxMeanWordLenWelsh = 5.5
	// MaxWordLenWelsh bounds any single Welsh word (names and references
	// excepted: they are not chosen by the writer).
	MaxWordLenWelsh = 16
	// MaxEasyReadWords bounds every sentence of an easy-read text (one
	// sentence a line, after Mencap's "Am I making myself clear?" advice
	// to keep sentences short); the other limits hold as well.
	MaxEasyReadWords = 12
	// MinFleschEasyRead is the lowest Flesch reading ease of easy read in
	// English: 80 is "easy", read by most 11-year-olds.
	MinFleschEasyRead = 80
)

// Jargon is legal language a victim should not meet unexplained. Each term
// is either avoided or, when a message uses it, the message also carries
// its explanation (the value: a fragment of the sentence that explains it).
// Terms are matched as whole words, case-insensitively.
var Jargon = map[string]map[string]string{
	"en": {
		"ptph":                        "",
		"plea and trial preparation":  "",
		"indictment":                  "",
		"adjourned":                   "",
		"adjournment":                 "",
		"s.28":                        "",
		"section 28":                  "",
		"ctl":                         "",
		"custody time limit":          "",
		"remand":                      "",
		"remanded":                    "",
		"bail":                        "This means they can live outside prison",
		"bail conditions":             "",
		"plea":                        "",
		"acquitted":                   "",
		"vacated":                     "",
		"ineffective":                 "",
		"cracked":                     "",
		"discontinued":                "",
		"no evidence offered":         "",
		"defendant":                   "",
		"complainant":                 "",
		"cross-examination":           "",
		"special measures":            "",
		"floater":                     "",
		"floating":                    "This means the hearing may start later that day",
		"warned list":                 "This means it could start on any day",
		"victims' right to review":    "This means you can ask us to look at the decision again",
		"victim contact scheme":       "This means the Probation Service will tell you",
		"hung jury":                   "",
		"third-party material":        "",
		"disclosure":                  "",
		"mention hearing":             "",
		"ground rules hearing":        "",
		"first appearance":            "",
		"sentencing hearing":          "",
		"isva":                        "Independent Sexual Violence Adviser",
		"necessary and proportionate": "",
	},
	"cy": {
		"ptph":                        "",
		"ditiad":                      "",
		"gohiriwyd":                   "",
		"adran 28":                    "",
		"remand":                      "",
		"remandio":                    "",
		"mechnïaeth":                  "Mae hyn yn golygu y gallan nhw fyw y tu allan i'r carchar",
		"amodau mechnïaeth":           "",
		"ple":                         "",
		"diffynnydd":                  "",
		"achwynydd":                   "",
		"croesholi":                   "",
		"mesurau arbennig":            "",
		"hawl dioddefwyr i adolygiad": "Mae hyn yn golygu y gallwch ofyn i ni edrych ar y penderfyniad eto",
		"cynllun cyswllt dioddefwyr":  "Mae hyn yn golygu y bydd y Gwasanaeth Prawf yn dweud wrthych",
		"rhestr rybudd":               "Mae hyn yn golygu y gallai ddechrau ar unrhyw ddiwrnod",
	},
}

// Readability is what the plain-language checks measured.
type Readability struct {
	Sentences      int
	Words          int
	Syllables      int     // English only
	Flesch         float64 // English only
	MeanWordLen    float64
	LongestWords   int    // words in the longest sentence
	LongestSent    string // the longest sentence
	LongWord       string // the longest word (Welsh check)
	Unexplained    []string
	TooLong        []string // sentences over MaxSentenceWords
	UnderThreshold bool
}

var (
	sentenceEnd = regexp.MustCompile(`[.!?]+(\s|$)|\n+`)
	wordRE      = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’.\-/]*`)
)

// Sentences splits text into sentences: at . ! ? followed by space, and at
// line breaks (a heading or a greeting is a sentence of its own).
func Sentences(text string) []string {
	var out []string
	for _, s := range sentenceEnd.Split(text, -1) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Words returns the words of a sentence.
func Words(s string) []string { return wordRE.FindAllString(s, -1) }

// Measure checks text in language lang ("en" or "cy") against the limits.
// skip are words not chosen by the writer (names, places, references) that
// the word-length checks leave out.
func Measure(lang, text string, skip ...string) Readability {
	var r Readability
	skipped := map[string]bool{}
	for _, s := range skip {
		for _, w := range Words(s) {
			skipped[strings.ToLower(w)] = true
		}
	}
	letters := 0
	counted := 0
	for _, s := range Sentences(text) {
		ws := Words(s)
		r.Sentences++
		r.Words += len(ws)
		if len(ws) > r.LongestWords {
			r.LongestWords, r.LongestSent = len(ws), s
		}
		if len(ws) > MaxSentenceWords {
			r.TooLong = append(r.TooLong, s)
		}
		for _, w := range ws {
			r.Syllables += syllables(w)
			if skipped[strings.ToLower(w)] || isNumeric(w) {
				continue
			}
			n := len([]rune(w))
			letters += n
			counted++
			if n > len([]rune(r.LongWord)) {
				r.LongWord = w
			}
		}
	}
	if counted > 0 {
		r.MeanWordLen = float64(letters) / float64(counted)
	}
	if r.Sentences > 0 && r.Words > 0 {
		r.Flesch = 206.835 - 1.015*float64(r.Words)/float64(r.Sentences) - 84.6*float64(r.Syllables)/float64(r.Words)
	}
	lower := strings.ToLower(text)
	for term, explained := range Jargon[lang] {
		if containsWord(lower, term) && (explained == "" || !strings.Contains(text, explained)) {
			r.Unexplained = append(r.Unexplained, term)
		}
	}
	switch lang {
	case "cy":
		r.UnderThreshold = r.MeanWordLen > MaxMeanWordLenWelsh || len([]rune(r.LongWord)) > MaxWordLenWelsh
	default:
		r.UnderThreshold = r.Flesch < MinFleschEnglish
	}
	return r
}

// OK reports whether every check passed.
func (r Readability) OK() bool {
	return len(r.TooLong) == 0 && len(r.Unexplained) == 0 && !r.UnderThreshold
}

// containsWord reports whether term occurs in s as whole words.
func containsWord(s, term string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], term)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordRune(lastRune(s[:j]))
		end := j + len(term)
		after := end == len(s) || !isWordRune(firstRune(s[end:]))
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func isNumeric(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// syllables estimates the syllables of an English word: vowel groups, less
// a silent final e, at least one. A number counts as two.
func syllables(w string) int {
	w = strings.ToLower(strings.Trim(w, "'’.-/"))
	if w == "" {
		return 0
	}
	if isNumeric(w) {
		return 2
	}
	n := 0
	prev := false
	for _, r := range w {
		v := strings.ContainsRune("aeiouy", r)
		if v && !prev {
			n++
		}
		prev = v
	}
	if strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "le") && n > 1 {
		n--
	}
	if strings.HasSuffix(w, "ed") && n > 1 && !strings.HasSuffix(w, "ted") && !strings.HasSuffix(w, "ded") {
		n--
	}
	return max(n, 1)
}
