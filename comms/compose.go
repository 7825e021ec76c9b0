package comms

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"time"

	"throughline"
	"throughline/refdata"
)

//go:embed templates
var templateFS embed.FS

// LockScreen is the subject of every email and the first line of every
// message, by language (an update a police officer or prosecutor wrote
// names their force or area instead: lockScreenFrom). A subject and the
// start of a text message show on a phone's lock screen, where anyone near
// it can read them: they say who it is from and nothing about the case,
// nobody's name, no reference.
var LockScreen = map[string]string{
	"en": "You have a new update from Witness Care",
	"cy": "Mae gennych ddiweddariad newydd gan yr Uned Gofal Tystion",
}

// templates[lang][kind] holds "body". No template has a subject of its
// own: the subject is LockScreen[lang], whatever the message says.
var templates = func() map[string]map[string]*template.Template {
	funcs := template.FuncMap{"withAg": withAg, "cap": capitalise, "mut": softMutateDay}
	out := map[string]map[string]*template.Template{}
	for _, lang := range throughline.Languages {
		out[lang] = map[string]*template.Template{}
		for _, kind := range Kinds {
			t := template.Must(template.New(kind).Funcs(funcs).Option("missingkey=error").ParseFS(templateFS,
				"templates/"+lang+"/common.tmpl", "templates/"+lang+"/"+kind+".tmpl"))
			if t.Lookup("body") == nil {
				panic(fmt.Sprintf("template %s/%s has no body", lang, kind))
			}
			if t.Lookup("subject") != nil || LockScreen[lang] == "" {
				panic(fmt.Sprintf("template %s/%s: the subject is comms.LockScreen, never a template's", lang, kind))
			}
			out[lang][kind] = t
		}
	}
	return out
}()

// Message is a composed message.
type Message struct {
	Kind    string
	Lang    string
	About   string
	Subject string // the email subject line: LockScreen[Lang], or lockScreenFrom's for a free text
	Body    string
	// Names are the words of names, places and references in the message:
	// not chosen by the writer, so left out of the word-length checks.
	Names []string
}

// Common is what every message has.
type Common struct {
	Lang    string
	Name    string // the complainant's first name
	Ref     string // the case reference
	Contact Contact
	// ISVA is her Independent Sexual Violence Adviser, if she has one.
	ISVA *Contact
	// Support are the services of her area that a message at a key moment
	// (charge, trial listed, verdict) points to.
	Support []throughline.SupportService
}

// Contact is a person (or a team) the victim can reach.
type Contact struct {
	Role  string // throughline.ContactWitnessCare, ContactOfficer or ContactISVA
	Name  string // a person, or "" when only a team is known
	Team  string
	Phone string
	Email string
	Hours string // when they answer, as the directory says it
}

// Person is a defendant as a message names them.
type Person struct {
	Name    string
	Offence string // in plain words
	Remand  string // custody, bail or released
}

// HearingFacts is a hearing as a message states it.
type HearingFacts struct {
	Kind    string
	What    string // in plain words
	Court   string
	Date    string
	Time    string
	Listing string // fixture, floater or warned
	WeekOf  string // for a warned list: the Monday of the week
	Status  string
	Outcome string
	// Address is where the court is, from the directory ("" if it holds
	// none); CourtID the court as the hearing records it.
	Address, CourtID string
	// ID, Start and DateOnly are the hearing as recorded (for calendars).
	ID       string
	Start    time.Time
	DateOnly bool
}

// Typed data of each template.
type (
	ChargeData struct {
		Common
		Defendant Person
		On        string // the day of the charge
		Next      *HearingFacts
	}
	RemandData struct {
		Common
		Defendant Person
		On        string // the day of the change
		Next      *HearingFacts
	}
	HearingData struct {
		Common
		Hearing HearingFacts
		Next    *HearingFacts // the next hearing after this one, if any
	}
	VerdictData struct {
		Common
		Defendant Person
		Result    string
		On        string // the day of the verdict
		Next      *HearingFacts
	}
	SentenceData struct {
		Common
		Defendant Person
		Date      string
	}
	VCLData struct {
		Common
		Defendant Person
		How       string
		Date      string // the decision
		AskBy     string // 10 working days after the decision
		LastDay   string // 3 months after the decision
		CPSArea   string
	}
	InfoRequestData struct {
		Common
		Material string
		Holder   string
		Reason   string
		Handling string // s.44B(2)(c), in the officer's words; empty for a request before Chapter 3A
		Date     string
	}
	RegularData struct {
		Common
		Stage      string // in plain words
		Next       *HearingFacts
		NextUpdate string
	}
	ContactData struct {
		Common
	}
	FreeTextData struct {
		Common
		Text string
		From string // who wrote it: "DC Lee Marsh, West Yorkshire Police"
	}
)

// Request is what to compose: a trigger's kind and subject, and for a
// free-text update the text a person wrote and who they are.
type Request struct {
	Complainant string
	Kind        string
	Subject     string
	About       string
	Text        string
	From        throughline.Sender
	// Every is the regular-update cadence in days (0: the complainant's
	// preference, else 28).
	Every int
	// Dir is the case's directory: how to reach her contacts, and the
	// support services of her area.
	Dir Directory
}

// RequestOf returns the request to compose a message owed.
func RequestOf(t throughline.MessageOwed) Request {
	return Request{Complainant: t.Complainant, Kind: t.Kind, Subject: t.Subject, About: t.About}
}

// Compose builds the message from the case as it stands at now. Errors:
// *ErrSuperseded when the record has moved on so that the message is no
// longer true; an *throughline.Error (EINVALID) when a free text
// contradicts the record; others when the request names nothing in c.
func Compose(c *throughline.Case, req Request, now time.Time) (Message, error) {
	cp := c.Complainant(req.Complainant)
	if cp == nil {
		return Message{}, fmt.Errorf("case %s has no complainant %s", c.Ref, req.Complainant)
	}
	lang := "en"
	if cp.Language == "cy" {
		lang = "cy"
	}
	contacts := Contacts(c, cp, lang, req.Dir)
	common := Common{Lang: lang, Name: firstName(cp.Name), Ref: c.Ref, Contact: contacts[0], Support: supportIn(c, lang, req.Dir)}
	names := []string{cp.Name, c.Ref}
	for _, ct := range contacts {
		if ct.Role == throughline.ContactISVA {
			common.ISVA = &ct
		}
		if ct.Role != throughline.ContactOfficer {
			names = append(names, ct.Name, ct.Team, ct.Phone, ct.Email, ct.Hours)
		}
	}
	for _, s := range common.Support {
		names = append(names, s.Name, s.Phone, s.Text, s.Web)
	}
	hf := func(h *throughline.Hearing) *HearingFacts {
		if h == nil {
			return nil
		}
		f := hearingFacts(lang, h)
		f.Address = req.Dir.CourtAddress(h.Court)
		names = append(names, f.Court, f.Address)
		return &f
	}
	person := func(d *throughline.Defendant) Person {
		names = append(names, d.Name)
		offs := d.ChargeOffences
		if len(offs) == 0 {
			offs = c.Offences
		}
		return Person{Name: d.Name, Offence: offenceWords(lang, offs), Remand: d.Remand}
	}
	defendant := func() (*throughline.Defendant, error) {
		id, err := subjectID(req.Subject, "defendant")
		if err != nil {
			return nil, err
		}
		d := c.Defendant(id)
		if d == nil {
			return nil, fmt.Errorf("case %s has no defendant %s", c.Ref, id)
		}
		return d, nil
	}
	hearing := func() (*throughline.Hearing, error) {
		id, err := subjectID(req.Subject, "hearing")
		if err != nil {
			return nil, err
		}
		h := c.Hearing(id)
		if h == nil {
			return nil, fmt.Errorf("case %s has no hearing %s", c.Ref, id)
		}
		return h, nil
	}
	var data any
	subject := LockScreen[lang]
	switch req.Kind {
	case KindCharge, KindRemand:
		d, err := defendant()
		if err != nil {
			return Message{}, err
		}
		if d.Charged.IsZero() {
			return Message{}, &ErrSuperseded{"defendant " + d.ID + " is not charged"}
		}
		p := person(d)
		next := hf(nextHearing(c, now, ""))
		if req.Kind == KindCharge {
			data = ChargeData{common, p, FormatDate(lang, d.Charged.Time()), next}
		} else {
			data = RemandData{common, p, FormatDate(lang, d.RemandSince.Time()), next}
		}
	case KindHearingListed, KindHearingMoved, KindTrialListed, KindHearingCancelled, KindHearingOutcome, KindPTPHOutcome, KindTrialNotGoingAhead:
		h, err := hearing()
		if err != nil {
			return Message{}, err
		}
		switch req.Kind {
		case KindHearingListed, KindHearingMoved, KindTrialListed:
			if h.Status != "listed" {
				return Message{}, &ErrSuperseded{"hearing " + h.ID + " is now " + h.Status}
			}
		case KindHearingCancelled:
			if h.Status != "vacated" {
				return Message{}, &ErrSuperseded{"hearing " + h.ID + " is " + h.Status + ", not cancelled"}
			}
		case KindTrialNotGoingAhead:
			if h.Status == "listed" {
				return Message{}, &ErrSuperseded{"trial " + h.ID + " is listed again"}
			}
		default:
			if h.Status != "held" {
				return Message{}, &ErrSuperseded{"hearing " + h.ID + " has not been held"}
			}
		}
		data = HearingData{common, *hf(h), hf(nextHearing(c, now, h.ID))}
	case KindVerdict:
		d, err := defendant()
		if err != nil {
			return Message{}, err
		}
		if d.Verdict == "" {
			return Message{}, &ErrSuperseded{"no verdict for " + d.ID}
		}
		data = VerdictData{common, person(d), d.Verdict, FormatDate(lang, d.VerdictOn.Time()), hf(nextHearing(c, now, ""))}
	case KindSentence:
		d, err := defendant()
		if err != nil {
			return Message{}, err
		}
		if d.Sentenced.IsZero() {
			return Message{}, &ErrSuperseded{d.ID + " is not sentenced"}
		}
		data = SentenceData{common, person(d), FormatDate(lang, d.Sentenced.Time())}
	case KindVCL:
		d, err := defendant()
		if err != nil {
			return Message{}, err
		}
		how, on := d.StoppedHow, d.Stopped
		if how == "" {
			how, on = "charge_altered", d.ChargeAltered
		}
		if on.IsZero() {
			return Message{}, &ErrSuperseded{"the prosecution of " + d.ID + " was not stopped"}
		}
		area := cpsAreaName(c)
		names = append(names, area)
		askBy, lastDay := reviewDates(lang, on)
		data = VCLData{Common: common, Defendant: person(d), How: how, Date: FormatDate(lang, on.Date()), AskBy: askBy, LastDay: lastDay, CPSArea: area}
	case KindInformationRequest:
		id, err := subjectID(req.Subject, "request")
		if err != nil {
			return Message{}, err
		}
		var r *throughline.InformationRequested
		for i := range cp.Requests {
			if cp.Requests[i].RequestID == id {
				r = &cp.Requests[i]
			}
		}
		if r == nil {
			return Message{}, fmt.Errorf("complainant %s has no information request %s", cp.ID, id)
		}
		if slices.Contains(cp.NoNotice, id) {
			// PCSCA 2022 s.44B(5): the police recorded that no notice is to be given.
			return Message{}, &ErrSuperseded{"no notice of request " + id + ": the s.44B(5) exception was recorded"}
		}
		if f := cp.Flow(id); f != nil && !f.Withdrawn.IsZero() && f.Sent.IsZero() {
			// Withdrawn before it was sent: no request is made, so there is
			// nothing to give her notice of (s.44B(1)), and news of one would
			// only alarm her.
			return Message{}, &ErrSuperseded{"no notice of request " + id + ": it was withdrawn before it was sent"}
		}
		names = append(names, r.Holder)
		data = InfoRequestData{Common: common, Material: materialWords[lang][r.Material], Holder: r.Holder, Reason: strings.TrimSpace(r.Reason),
			Handling: strings.TrimSpace(r.Handling)}
	case KindDeviceExtraction:
		d, err := deviceData(common, cp, req.Subject, lang)
		if err != nil {
			return Message{}, err
		}
		data = d
	case KindRegularUpdate:
		every := req.Every
		if every <= 0 {
			every = Cadence(cp)
		}
		data = RegularData{Common: common, Stage: stageWords(lang, c, &names), Next: hf(nextHearing(c, now, "")),
			NextUpdate: FormatDate(lang, now.AddDate(0, 0, every))}
	case KindContactChanged:
		if cp.Contact == nil {
			return Message{}, &ErrSuperseded{"no named contact recorded"}
		}
		data = ContactData{common}
	case KindFreeText:
		text := strings.TrimSpace(req.Text)
		if text == "" {
			return Message{}, throughline.Errorf(throughline.EINVALID, "the message is empty")
		}
		if cs := Check(c, text, now); len(cs) > 0 {
			return Message{}, ConflictError(cs)
		}
		from := senderWords(req.From)
		names = append(names, from)
		data = FreeTextData{common, text, from}
		subject = lockScreenFrom(lang, req.From.Agency)
	default:
		return Message{}, fmt.Errorf("no template %q", req.Kind)
	}
	t := templates[lang][req.Kind]
	var body bytes.Buffer
	if err := t.ExecuteTemplate(&body, "body", data); err != nil {
		return Message{}, fmt.Errorf("template %s/%s: %w", lang, req.Kind, err)
	}
	about := req.About
	if about == "" {
		about = AboutRegularUpdate
	}
	// The first line, which a lock screen shows of a text message or an
	// email, is the neutral one too.
	return Message{Kind: req.Kind, Lang: lang, About: about, Subject: subject, Body: subject + ".\n\n" + tidy(body.String()), Names: names}, nil
}

// lockScreenFrom is the first line of an update a person of agency wrote:
// LockScreen, but naming the police force or CPS area when it came from
// them, so that an officer's words do not seem to come from Witness Care.
// An agency, never a person: a lock screen names no one.
func lockScreenFrom(lang, agency string) string {
	a, err := throughline.ParseAgency(agency)
	if err != nil || (a.Kind != "police" && a.Kind != "cps") {
		return LockScreen[lang]
	}
	return lockScreenAgency[lang] + a.Name()
}

var lockScreenAgency = map[string]string{"en": "You have a new update from ", "cy": "Mae gennych ddiweddariad newydd gan "}

// senderWords names the writer of an update and their agency, as the
// message signs it.
func senderWords(s throughline.Sender) string {
	a, err := throughline.ParseAgency(s.Agency)
	if err != nil {
		return s.Name
	}
	if s.Name == "" {
		return a.Name()
	}
	return s.Name + ", " + a.Name()
}

// Cadence is a complainant's regular-update period in days.
func Cadence(cp *throughline.Complainant) int {
	if cp.Preferences != nil && cp.Preferences.RoutineEveryDays > 0 {
		return cp.Preferences.RoutineEveryDays
	}
	return 28
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidy trims each line and leaves at most one blank line between paragraphs.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

// hearingFacts states a hearing in language lang.
func hearingFacts(lang string, h *throughline.Hearing) HearingFacts {
	t := h.StartsAt.Time()
	f := HearingFacts{Kind: h.Kind, What: hearingWords[lang][h.Kind], Court: CourtName(lang, h.Court), CourtID: h.Court,
		Date: FormatDate(lang, t), Listing: h.Listing, Status: h.Status, Outcome: h.Outcome, ID: h.ID, Start: t, DateOnly: h.StartsAt.DateOnly()}
	if !h.StartsAt.DateOnly() {
		f.Time = FormatTime(lang, t)
	}
	if h.Listing == "warned" {
		lt := t.In(throughline.London)
		f.WeekOf = FormatDate(lang, lt.AddDate(0, 0, -((int(lt.Weekday())+6)%7)))
	}
	return f
}

// nextHearing is the earliest hearing still listed that starts on or after
// today, other than except.
func nextHearing(c *throughline.Case, now time.Time, except string) *throughline.Hearing {
	today := throughline.At(now).Date()
	var hs []*throughline.Hearing
	for i := range c.Hearings {
		h := &c.Hearings[i]
		if h.Status == "listed" && h.ID != except && !h.StartsAt.Date().Before(today) {
			hs = append(hs, h)
		}
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].StartsAt.Before(hs[j].StartsAt) })
	if len(hs) == 0 {
		return nil
	}
	return hs[0]
}

var materialWords = map[string]map[string]string{
	"en": {"counselling_notes": "notes from your counselling", "therapy_notes": "notes from your therapy",
		"medical": "your medical records", "education": "records from your school or college",
		"social_care": "records from social services", "devices": "information from your phone or other devices",
		"other": "information about you"},
	"cy": {"counselling_notes": "nodiadau o'ch cwnsela", "therapy_notes": "nodiadau o'ch therapi",
		"medical": "eich cofnodion meddygol", "education": "cofnodion o'ch ysgol neu goleg",
		"social_care": "cofnodion gan y gwasanaethau cymdeithasol", "devices": "gwybodaeth o'ch ffôn neu ddyfeisiau eraill",
		"other": "gwybodaeth amdanoch chi"},
}

// stageWords says where the case is, in plain words.
func stageWords(lang string, c *throughline.Case, names *[]string) string {
	var parts []string
	for _, d := range c.Defendants {
		if d.Charged.IsZero() {
			continue
		}
		*names = append(*names, d.Name)
		court := CourtName(lang, d.Court)
		*names = append(*names, court)
		var s string
		switch {
		case lang == "cy":
			s = map[string]string{
				throughline.StageCharged:    d.Name + " wedi ei gyhuddo. Mae'r achos yn y llys ynadon.",
				throughline.StageCrownCourt: "Mae achos " + d.Name + " yn " + court + ". Mae'n aros am y treial.",
				throughline.StageTrial:      "Mae treial " + d.Name + " wedi dechrau.",
				throughline.StageRetrial:    "Doedd y rheithgor ddim yn gallu cytuno. Rydym yn penderfynu a fydd treial newydd.",
				throughline.StageConvicted:  "Mae " + d.Name + " yn euog. Bydd y barnwr yn penderfynu'r ddedfryd.",
				throughline.StageSentenced:  "Mae " + d.Name + " wedi cael ei ddedfrydu.",
				throughline.StageAcquitted:  "Mae'r achos yn erbyn " + d.Name + " wedi dod i ben.",
				throughline.StageStopped:    "Mae'r achos yn erbyn " + d.Name + " wedi dod i ben.",
			}[d.Stage]
		default:
			s = map[string]string{
				throughline.StageCharged:    d.Name + " has been charged. The case is at the magistrates' court.",
				throughline.StageCrownCourt: "The case against " + d.Name + " is at " + court + ". It is waiting for the trial.",
				throughline.StageTrial:      "The trial of " + d.Name + " has started.",
				throughline.StageRetrial:    "The jury could not agree. We are deciding if there will be a new trial.",
				throughline.StageConvicted:  d.Name + " has been found guilty. The judge will decide the sentence.",
				throughline.StageSentenced:  d.Name + " has been sentenced.",
				throughline.StageAcquitted:  "The case against " + d.Name + " has ended.",
				throughline.StageStopped:    "The case against " + d.Name + " has ended.",
			}[d.Stage]
		}
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		if lang == "cy" {
			return "Mae'r heddlu yn dal i ymchwilio."
		}
		return "The police are still looking into what happened."
	}
	return strings.Join(parts, " ")
}

// reviewDates are the Victims' Right to Review's dates for a decision on
// on, in words (throughline.ReviewWindow).
func reviewDates(lang string, on throughline.When) (askBy, lastDay string) {
	a, l := throughline.ReviewWindow(on)
	return FormatDate(lang, a), FormatDate(lang, l)
}

// cpsAreaName is the name of the case's CPS area.
func cpsAreaName(c *throughline.Case) string {
	if a, ok := refdata.LookupCPSArea(c.CPSArea); ok {
		return a.Name
	}
	return c.CPSArea
}
