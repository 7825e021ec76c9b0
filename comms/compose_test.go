package comms_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"throughline"
	"throughline/comms"
)

type scenario struct {
	name  string
	lines []string
	req   comms.Request
	want  map[string][]string // per language, phrases the message must hold
	at    time.Time
}

func scenarios() []scenario {
	return []scenario{
		{name: "charge, custody, first hearing", lines: journeyTo(charged, firstListed),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindCharge, Subject: "defendant:D1", About: "charged"},
			want: map[string][]string{"en": {"On Wednesday 13 November 2024, the police charged Daniel Ross with rape", "stay in prison", "Friday 14 March 2025", "10am", "Leeds Magistrates' Court"}, "cy": {"Ar ddydd Mercher 13 Tachwedd 2024, fe wnaeth yr heddlu gyhuddo Daniel Ross o dreisio", "dydd Gwener 14 Mawrth 2025", "10 y bore", "Llys Ynadon Leeds"}}},
		{name: "charge, bail, no hearing yet", lines: journeyTo(chargedBail, contact),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindCharge, Subject: "defendant:D1", About: "charged"},
			want: map[string][]string{"en": {"is on bail. This means they can live outside prison", "Gwen Price", "0113 496 0000"}, "cy": {"ar fechnïaeth", "Gwen Price"}}},
		{name: "charge, with the directory", lines: journeyTo(charged, firstListed, contact),
			req: comms.Request{Complainant: "C1", Kind: comms.KindCharge, Subject: "defendant:D1", About: "charged", Dir: dir},
			want: map[string][]string{
				"en": {"contact Gwen Price at West Yorkshire Witness Care Unit on 0113 496 0000.", "They take calls Monday to Friday, 9am to 5pm.", "email gwen.price@wcu.example.gov.uk",
					"Independent Sexual Violence Adviser (ISVA) is Ana Lopes at Example ISVA Service, on 0113 496 0202.",
					"Example Haven Support (fictional), phone 0113 496 0300\nExample National Line (fictional), phone 0800 496 0302, https://example.org/help\n"},
				"cy": {"Maen nhw'n ateb galwadau: Monday to Friday, 9am to 5pm.", "(ISVA) yw Ana Lopes yn Example ISVA Service",
					"Llinell Gymraeg Enghreifftiol (fictional), ffôn 0800 496 0303\nExample Haven Support (fictional), ffôn 0113 496 0300\n"}}},
		{name: "trial listed, with the directory", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindTrialListed, Subject: "hearing:H3", About: "hearing_listed", Dir: dir},
			want: map[string][]string{"en": {"These services can support you", "Example Haven Support (fictional)"}, "cy": {"Gall y gwasanaethau hyn eich cefnogi"}}},
		{name: "remand to bail", lines: journeyTo(charged, `{"type":"remand_status_changed","occurred_at":"2025-02-01","data":{"defendant_id":"D1","status":"bail"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindRemand, Subject: "defendant:D1", About: "remand_status_changed"},
			want: map[string][]string{"en": {"This happened on Saturday 1 February 2025.", "now on bail"}, "cy": {"ar fechnïaeth nawr"}}},
		{name: "remand released", lines: journeyTo(chargedBail, `{"type":"remand_status_changed","occurred_at":"2025-02-01","data":{"defendant_id":"D1","status":"released"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindRemand, Subject: "defendant:D1", About: "remand_status_changed"},
			want: map[string][]string{"en": {"no longer in prison"}, "cy": {"ddim yn y carchar bellach"}}},
		{name: "hearing listed", lines: journeyTo(charged, firstListed),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindHearingListed, Subject: "hearing:H1", About: "hearing_listed"},
			want: map[string][]string{"en": {"When: Friday 14 March 2025 at 10am"}, "cy": {"Pryd: dydd Gwener 14 Mawrth 2025 am 10 y bore"}}},
		{name: "hearing moved", lines: journeyTo(charged, firstListed, `{"type":"hearing_listed","occurred_at":"2024-11-20","data":{"hearing_id":"H1","kind":"first_appearance","court":"bradford_keighley_magistrates","starts_at":"2025-03-17T14:30:00Z","listing":"floater"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindHearingMoved, Subject: "hearing:H1", About: "hearing_listed"},
			want: map[string][]string{"en": {"Monday 17 March 2025 at 2:30pm", "floating date. This means the hearing may start later that day"}, "cy": {"dydd Llun 17 Mawrth 2025 am 2:30 y prynhawn", "Dyddiad symudol"}}},
		{name: "hearing cancelled", lines: journeyTo(charged, firstListed, `{"type":"hearing_vacated","occurred_at":"2025-03-01","data":{"hearing_id":"H1","reason":"listing error"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindHearingCancelled, Subject: "hearing:H1", About: "hearing_vacated"},
			want: map[string][]string{"en": {"cancelled the first court hearing"}, "cy": {"Roedd y gwrandawiad llys cyntaf i fod ar ddydd Gwener"}}},
		{name: "ptph outcome, trial listed", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindPTPHOutcome, Subject: "hearing:H2", About: "hearing_held"},
			want: map[string][]string{"en": {"hearing to plan the trial", "Monday 12 May 2025 at 10am", "Leeds Crown Court"}, "cy": {"dydd Llun 12 Mai 2025", "Llys y Goron Leeds"}}},
		{name: "other hearing outcome", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindHearingOutcome, Subject: "hearing:H1", About: "hearing_held"},
			want: map[string][]string{"en": {"The first court hearing took place"}, "cy": {"Cafodd y gwrandawiad llys cyntaf ei gynnal"}}},
		{name: "trial listed, warned", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialWarned),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindTrialListed, Subject: "hearing:H3", About: "hearing_listed"},
			want: map[string][]string{"en": {"warned list for the week starting Monday 16 June 2025. This means it could start on any day"}, "cy": {"restr rybudd", "dydd Llun 16 Mehefin 2025"}}},
		{name: "trial not going ahead", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialVacated),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindTrialNotGoingAhead, Subject: "hearing:H3", About: "hearing_vacated"},
			want: map[string][]string{"en": {"did not go ahead", "Monday 12 May 2025"}, "cy": {"na aeth y treial yn ei flaen"}}},
		{name: "verdict guilty", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialStarted,
			`{"type":"verdict","occurred_at":"2025-05-16","data":{"defendant_id":"D1","result":"guilty"}}`,
			`{"type":"hearing_listed","occurred_at":"2025-05-16","data":{"hearing_id":"H4","kind":"sentence","court":"leeds","starts_at":"2025-06-20T10:00:00+01:00","listing":"fixture"}}`),
			at:   time.Date(2025, 5, 16, 15, 0, 0, 0, time.UTC),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindVerdict, Subject: "defendant:D1", About: "verdict"},
			want: map[string][]string{"en": {"This happened on Friday 16 May 2025.", "found Daniel Ross guilty of rape", "Friday 20 June 2025"}, "cy": {"Digwyddodd hyn ar ddydd Gwener 16 Mai 2025.", "yn euog o dreisio", "dydd Gwener 20 Mehefin 2025"}}},
		{name: "verdict not guilty", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialStarted,
			`{"type":"verdict","occurred_at":"2025-05-16","data":{"defendant_id":"D1","result":"not_guilty"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindVerdict, Subject: "defendant:D1", About: "verdict", Dir: dir},
			want: map[string][]string{"en": {"It does not mean that the jury did not believe you", "These services can support you, whatever happens"}, "cy": {"yn ddieuog", "beth bynnag sy'n digwydd"}}},
		{name: "sentence", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialStarted,
			`{"type":"verdict","occurred_at":"2025-05-16","data":{"defendant_id":"D1","result":"guilty_plea"}}`,
			`{"type":"sentenced","occurred_at":"2025-06-20","data":{"defendant_id":"D1"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindSentence, Subject: "defendant:D1", About: "sentenced"},
			want: map[string][]string{"en": {"sentenced Daniel Ross on Friday 20 June 2025", "Victim Contact Scheme. This means the Probation Service will tell you"}, "cy": {"Cynllun Cyswllt Dioddefwyr"}}},
		{name: "VCL discontinued", lines: journeyTo(charged, firstEarly, firstHeld, sent, `{"type":"prosecution_stopped","occurred_at":"2025-02-03","data":{"defendant_id":"D1","how":"discontinued"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindVCL, Subject: "defendant:D1", About: "prosecution_stopped"},
			want: map[string][]string{"en": {"stop the case against Daniel Ross", "Victims' Right to Review", "Monday 17 February 2025", "Saturday 3 May 2025", "CPS Yorkshire and Humberside", "You can also ask when you sign in to see your case online."}, "cy": {"Hawl Dioddefwyr i Adolygiad", "dydd Llun 17 Chwefror 2025", "mewngofnodi i weld eich achos ar-lein"}}},
		{name: "VCL no evidence offered", lines: journeyTo(charged, firstEarly, firstHeld, sent, `{"type":"prosecution_stopped","occurred_at":"2025-02-03","data":{"defendant_id":"D1","how":"no_evidence_offered"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindVCL, Subject: "defendant:D1", About: "prosecution_stopped"},
			want: map[string][]string{"en": {"found them not guilty", "Victims' Right to Review"}, "cy": {"Hawl Dioddefwyr i Adolygiad"}}},
		{name: "VCL charge altered", lines: journeyTo(charged, firstEarly, firstHeld, sent, `{"type":"prosecution_stopped","occurred_at":"2025-02-03","data":{"defendant_id":"D1","how":"charge_altered"}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindVCL, Subject: "defendant:D1", About: "prosecution_stopped"},
			want: map[string][]string{"en": {"change the crime", "make a complaint"}, "cy": {"wneud cwyn"}}},
		{name: "information request", lines: journeyTo(`{"type":"information_requested","occurred_at":"2024-10-01","data":{"complainant_id":"C1","request_id":"R1","material":"counselling_notes","holder":"Leeds Rape Crisis","reason":"You told us you spoke to your counsellor about that night. The notes may help show what happened."}}`),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindInformationRequest, Subject: "request:R1", About: "information_requested"},
			want: map[string][]string{"en": {"ask Leeds Rape Crisis for notes from your counselling", "Why:", "How we will look after it"}, "cy": {"gofyn i Leeds Rape Crisis am nodiadau o'ch cwnsela"}}},
		{name: "information request under Chapter 3A", lines: journeyTo(request2026),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindInformationRequest, Subject: "request:R2", About: "information_requested"},
			want: map[string][]string{"en": {"ask Leeds Rape Crisis for notes from your counselling", "How we will look after it: Only the officer and the prosecutor will read it."}, "cy": {"Sut byddwn yn gofalu amdani: Only the officer"}}},
		{name: "device extraction", lines: journeyTo(deviceRequest),
			req: comms.Request{Complainant: "C1", Kind: comms.KindDeviceExtraction, Subject: "request:D1", About: "device_extraction_requested"},
			want: map[string][]string{
				"en": {"look at information on your mobile phone", "What they want: The messages between you and him", "Only these kinds of information: messages, photos and videos and where your phone has been.",
					"Only information from Saturday 1 June 2024 to Sunday 30 June 2024.", "Why: He says you stayed friendly", "How we will look after it: Only the officer",
					"You can say no.", "Saying no will not by itself end the investigation.", "Nobody should pressure you", "choose the messages or pictures yourself",
					"ask your support worker"},
				"cy": {"ar y ddyfais hon: your mobile phone", "Dim ond y mathau hyn o wybodaeth: negeseuon, lluniau a fideos a ble mae eich ffôn wedi bod.",
					"o ddydd Sadwrn 1 Mehefin 2024 hyd at ddydd Sul 30 Mehefin 2024", "Gallwch ddweud na.", "Ni fydd dweud na ar ei ben ei hun yn dod â'r ymchwiliad i ben.",
					"Ni ddylai neb roi pwysau arnoch chi", "dewis y negeseuon neu'r lluniau eich hun", "ofyn i'ch gweithiwr cymorth"}}},
		{name: "regular update", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindRegularUpdate, About: "regular_update"},
			want: map[string][]string{"en": {"nothing new has happened", "is at Leeds Crown Court", "Monday 12 May 2025", "Monday 31 March 2025"}, "cy": {"dim byd newydd", "dydd Llun 31 Mawrth 2025"}}},
		{name: "contact changed", lines: journeyTo(charged, contact),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindContactChanged, Subject: "contact", About: "named_contact_changed"},
			want: map[string][]string{"en": {"Gwen Price at West Yorkshire Witness Care Unit", "0113 496 0000"}, "cy": {"Gwen Price yn West Yorkshire Witness Care Unit"}}},
		{name: "contact handed over", lines: journeyTo(charged, contact, wcoGwen, wcoLee),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindContactChanged, Subject: "contact", About: "case_team_changed"},
			want: map[string][]string{"en": {"Lee Marsh at West Yorkshire Police Witness Care Unit", "0113 496 0101"}, "cy": {"Lee Marsh yn West Yorkshire Police Witness Care Unit"}}},
		{name: "free text", lines: journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed),
			req:  comms.Request{Complainant: "C1", Kind: comms.KindFreeText, About: "regular_update", Text: "I spoke to the court today. The trial is still set for 12 May 2025 at Leeds Crown Court."},
			want: map[string][]string{"en": {"still set for 12 May 2025"}, "cy": {"still set for 12 May 2025"}}},
	}
}

// Every template renders in both languages for realistic data, states the
// record's facts, and passes the plain-language checks.
func TestEveryTemplateInBothLanguages(t *testing.T) {
	covered := map[string]map[string]bool{"en": {}, "cy": {}}
	for _, sc := range scenarios() {
		for _, lang := range []string{"en", "cy"} {
			t.Run(sc.name+"/"+lang, func(t *testing.T) {
				c := fold(t, lang, sc.lines...)
				at := now
				if !sc.at.IsZero() {
					at = sc.at
				}
				m, err := comms.Compose(c, sc.req, at)
				if err != nil {
					t.Fatal(err)
				}
				covered[lang][sc.req.Kind] = true
				if m.Lang != lang || m.Subject == "" || !strings.HasPrefix(m.Body, comms.LockScreen[lang]+".\n\n"+map[string]string{"en": "Dear Amelia,", "cy": "Annwyl Amelia,"}[lang]) {
					t.Fatalf("lang %s subject %q body:\n%s", m.Lang, m.Subject, m.Body)
				}
				for _, w := range sc.want[lang] {
					if !strings.Contains(m.Body, w) {
						t.Errorf("message lacks %q:\n%s", w, m.Body)
					}
				}
				if strings.Contains(m.Body, "<no value>") || strings.Contains(m.Body, "{{") {
					t.Errorf("unfilled placeholder:\n%s", m.Body)
				}
				if sc.req.Kind == comms.KindFreeText && lang == "cy" {
					return // the person's own words, in the language they wrote
				}
				r := comms.Measure(lang, m.Subject+".\n"+m.Body, m.Names...)
				if !r.OK() {
					t.Errorf("plain language: too long %q; unexplained %v; flesch %.1f (min %d); mean word %.2f (max %.1f), longest %q\n%s",
						r.TooLong, r.Unexplained, r.Flesch, comms.MinFleschEnglish, r.MeanWordLen, comms.MaxMeanWordLenWelsh, r.LongWord, m.Body)
				}
				t.Logf("flesch %.1f, mean word %.2f, longest sentence %d words", r.Flesch, r.MeanWordLen, r.LongestWords)
			})
		}
	}
	for _, lang := range []string{"en", "cy"} {
		for _, k := range comms.Kinds {
			if !covered[lang][k] {
				t.Errorf("template %s/%s has no test", lang, k)
			}
		}
	}
}

// An update a person wrote says whom it is from: signed with their name
// and agency, and, from the police or the CPS, with the force or area on
// the lock screen rather than Witness Care (which still writes its own
// updates under the usual line). The lock screen names no person.
func TestAnUpdateSaysWhoWroteIt(t *testing.T) {
	lines := journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed)
	for _, tc := range []struct {
		lang, name, agency, subject, signed string
	}{
		{"en", "DC Lee Marsh", "police:13", "You have a new update from West Yorkshire Police", "From DC Lee Marsh, West Yorkshire Police\n"},
		{"cy", "DC Lee Marsh", "police:13", "Mae gennych ddiweddariad newydd gan West Yorkshire Police", "Oddi wrth DC Lee Marsh, West Yorkshire Police\n"},
		{"en", "Ruth Adeyemi", "cps:yorkshire_humberside", "You have a new update from CPS Yorkshire and Humberside", "From Ruth Adeyemi, CPS Yorkshire and Humberside\n"},
		{"en", "Gwen Price", "wcu:13", comms.LockScreen["en"], "From Gwen Price, West Yorkshire Police Witness Care Unit\n"},
	} {
		c := fold(t, tc.lang, lines...)
		m, err := comms.Compose(c, comms.Request{Complainant: "C1", Kind: comms.KindFreeText, Text: "The trial is still set for 12 May 2025.",
			From: throughline.Sender{Name: tc.name, Agency: tc.agency}}, now)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != tc.subject || !strings.HasPrefix(m.Body, tc.subject+".\n\n") || !strings.Contains(m.Body, tc.signed) || strings.Contains(m.Subject, tc.name) {
			t.Errorf("%s from %s: subject %q, body:\n%s\nwant the subject %q and %q", tc.lang, tc.agency, m.Subject, m.Body, tc.subject, tc.signed)
		}
	}
}

// A message composed after the record moved on says the new facts, or is
// superseded when it would no longer be true.
func TestComposeFromTheRecordAsItStands(t *testing.T) {
	c := fold(t, "en", journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialWarned)...)
	m, err := comms.Compose(c, comms.Request{Complainant: "C1", Kind: comms.KindTrialListed, Subject: "hearing:H3"}, now)
	if err != nil || strings.Contains(m.Body, "12 May") || !strings.Contains(m.Body, "16 June 2025") {
		t.Fatalf("%v\n%s", err, m.Body)
	}
	c = fold(t, "en", journeyTo(charged, firstEarly, firstHeld, sent, ptphListed, ptphHeld, trialListed, trialVacated)...)
	_, err = comms.Compose(c, comms.Request{Complainant: "C1", Kind: comms.KindTrialListed, Subject: "hearing:H3"}, now)
	var sup *comms.ErrSuperseded
	if !errors.As(err, &sup) {
		t.Fatalf("listing message after the trial was vacated: %v", err)
	}
}

// request2026 is a request under Chapter 3A: each condition answered.
const request2026 = `{"type":"information_requested","occurred_at":"2026-03-02","data":{"complainant_id":"C1","request_id":"R2","material":"counselling_notes",` +
	`"holder":"Leeds Rape Crisis","holder_belief":"She said in interview that she saw a counsellor there in March.",` +
	`"line_of_enquiry":"When she first disclosed: the defence says she invented it later.","necessity":"Only the date of the first session is sought, nothing of its content.",` +
	`"probative_value":"The date of first disclosure meets the defence of late invention directly.","reason":"To check when you first told someone what happened.",` +
	`"handling":"Only the officer and the prosecutor will read it. Nothing else in it will be used."}}`

// deviceRequest is a request to extract from her phone, each condition of
// PCSCA 2022 ss.37 and 39 answered, with self-selection offered.
const deviceRequest = `{"type":"device_extraction_requested","occurred_at":"2024-10-01","data":{"complainant_id":"C1","request_id":"D1","device":"your mobile phone",` +
	`"information_sought":"The messages between you and him in June, and any photos he sent.","scope_from":"2024-06-01","scope_to":"2024-06-30",` +
	`"data_kinds":["messages","photos_and_videos","location"],"reason":"He says you stayed friendly. The messages can show what was said.",` +
	`"handling":"Only the officer and the prosecutor will read them. We will not look at anything else.",` +
	`"line_of_enquiry":"Whether her messages after the night support his account of a friendly relationship.",` +
	`"necessity":"The messages are the only record of what was said; only June and this chat are sought.",` +
	`"other_means":"His phone was not seized and the provider keeps no content; screenshots miss deleted messages.","self_selection":true}}`

// The written notice of a device extraction request is owed when it is
// recorded, names its request, and its delivery names the request too, so
// that her agreement can then be recorded (s.39(3)).
func TestDeviceNoticeOwedAndNamed(t *testing.T) {
	c := fold(t, "en", journeyTo(deviceRequest)...)
	d := c.Complainants[0].Devices[0].DeviceExtractionRequested
	owed := comms.Triggers(c, []throughline.Event{{Type: throughline.TypeDeviceExtractionRequested, Version: c.Version, Data: &d}})
	if len(owed) != 1 || owed[0].Kind != comms.KindDeviceExtraction || owed[0].Subject != "request:D1" || owed[0].About != throughline.TypeDeviceExtractionRequested {
		t.Fatalf("owed %+v", owed)
	}
	e := comms.Consequences{}.Informed(c.Ref, "C1", owed[0].About, owed[0].Subject, "letter", "dispatcher", now)
	if _, err := throughline.Decide(c, e); err != nil {
		t.Fatalf("the delivered notice is refused: %v", err)
	}
	c.Apply(e)
	if x := c.Complainant("C1").Device("D1"); x.NoticeOn.IsZero() {
		t.Errorf("the delivered notice did not mark the request: %+v", x)
	}
	// Without self-selection offered, the notice does not offer it.
	noSelf := strings.Replace(deviceRequest, `,"self_selection":true`, ``, 1)
	m, err := comms.Compose(fold(t, "en", journeyTo(noSelf)...), comms.Request{Complainant: "C1", Kind: comms.KindDeviceExtraction, Subject: "request:D1"}, now)
	if err != nil || strings.Contains(m.Body, "yourself") || !strings.Contains(m.Body, "You can say no.") {
		t.Errorf("%v\n%s", err, m.Body)
	}
}

// No notice is sent of a request the police recorded s.44B(5) for, even if
// the message was queued before they recorded it; a later notice
// (s.44B(3)(b)) still goes.
func TestNoNoticeUnderSection44B5(t *testing.T) {
	req := comms.Request{Complainant: "C1", Kind: comms.KindInformationRequest, Subject: "request:R2", About: "information_requested"}
	exception := func(kind string) string {
		return `{"type":"information_notice_exception","occurred_at":"2026-03-02","data":{"complainant_id":"C1","request_id":"R2","exception":"` + kind +
			`","reason":"Telling her now would alert the suspect, who reads her post."}}`
	}
	if _, err := comms.Compose(fold(t, "en", journeyTo(request2026, exception("later_notice"))...), req, now); err != nil {
		t.Fatalf("a later notice must still be composed: %v", err)
	}
	c := fold(t, "en", journeyTo(request2026, exception("no_notice"))...)
	_, err := comms.Compose(c, req, now)
	var sup *comms.ErrSuperseded
	if !errors.As(err, &sup) {
		t.Fatalf("notice composed though s.44B(5) was recorded: %v", err)
	}
	// Recorded with the request, in one append: no notice is even queued.
	n := len(c.Complainants[0].Requests)
	if owed := comms.Triggers(c, []throughline.Event{{Type: "information_requested", Data: &c.Complainants[0].Requests[n-1]}}); len(owed) != 0 {
		t.Errorf("a notice was queued for a request recorded with s.44B(5): %+v", owed)
	}
}

// No notice goes of a request withdrawn before it was sent: no request was
// made. One withdrawn after it was sent was made, and she is told of it.
func TestNoNoticeOfAWithdrawnRequest(t *testing.T) {
	req := comms.Request{Complainant: "C1", Kind: comms.KindInformationRequest, Subject: "request:R2", About: "information_requested"}
	withdrawn := `{"type":"information_request_withdrawn","occurred_at":"2026-03-03","data":{"complainant_id":"C1","request_id":"R2","reason":"She gave the date herself in a statement."}}`
	_, err := comms.Compose(fold(t, "en", journeyTo(request2026, withdrawn)...), req, now)
	var sup *comms.ErrSuperseded
	if !errors.As(err, &sup) {
		t.Fatalf("notice composed of a request withdrawn unsent: %v", err)
	}
	exception := `{"type":"information_notice_exception","occurred_at":"2026-03-02","data":{"complainant_id":"C1","request_id":"R2","exception":"later_notice","reason":"She is abroad until Friday with no safe address."}}`
	approved := `{"type":"information_notice_exception_approved","occurred_at":"2026-03-02","data":{"complainant_id":"C1","request_id":"R2","note":"Urgent: the service destroys its notes at the month's end."}}`
	sent := `{"type":"information_request_sent","occurred_at":"2026-03-02","data":{"complainant_id":"C1","request_id":"R2"}}`
	// Made under an approved exception (s.44B(3)(b)), then withdrawn. These
	// lines carry no actor, as an import's do, so no approval is its author's.
	if _, err := comms.Compose(fold(t, "en", journeyTo(request2026, exception, approved, `{"type":"information_request_approved","occurred_at":"2026-03-02","data":{"complainant_id":"C1","request_id":"R2","note":"The date alone answers the defence of late invention."}}`, sent, withdrawn)...), req, now); err != nil {
		t.Fatalf("the notice of a request made, then withdrawn, was not composed: %v", err)
	}
}

// A child's notice is not written to her by machine: a person gives it to
// an adult for her (s.44B(4)), the task says so; an adult's goes by the hub.
func TestChildsNoticeIsAPersonsTask(t *testing.T) {
	c := fold(t, "en", journeyTo(request2026)...)
	n := len(c.Complainants[0].Requests)
	evs := []throughline.Event{{Type: "information_requested", OccurredAt: throughline.On(2026, time.March, 2), Version: c.Version, Data: &c.Complainants[0].Requests[n-1]}}
	if o := (comms.Consequences{}).Owed(c, evs); len(o.Messages) != 1 || len(o.Tasks) != 0 {
		t.Fatalf("an adult's notice: %+v", o)
	}
	c.Complainants[0].DateOfBirth = "2010-06-30" // 15 on 2 March 2026
	o := comms.Consequences{}.Owed(c, evs)
	if len(o.Messages) != 0 || len(o.Tasks) != 1 || o.Tasks[0].Kind != throughline.TaskTell || !strings.Contains(o.Tasks[0].Detail, "s.44B(4)") {
		t.Errorf("a child's notice: %+v", o)
	}
}

// A delivered notice of an information request names its request, so it
// meets that request's notice deadline and no other's.
func TestNoticeNamesItsRequest(t *testing.T) {
	e := comms.Consequences{}.Informed("13RS0000101/24", "C1", "information_requested", "request:R2", "email", "dispatcher", now)
	if d := e.Data.(*throughline.VictimInformed); d.RequestID != "R2" {
		t.Errorf("notice names %q, want R2", d.RequestID)
	}
	e = comms.Consequences{}.Informed("13RS0000101/24", "C1", "charged", "defendant:D1", "email", "dispatcher", now)
	if d := e.Data.(*throughline.VictimInformed); d.RequestID != "" {
		t.Errorf("news of a charge names request %q", d.RequestID)
	}
}

// Readability measures what it says it measures.
func TestMeasure(t *testing.T) {
	r := comms.Measure("en", "The cat sat on the mat. It was a nice day.")
	if r.Sentences != 2 || r.Words != 11 || r.Flesch < 90 {
		t.Fatalf("%+v", r)
	}
	long := "This sentence has far too many words in it because it goes on and on and on without any stop at all."
	if r := comms.Measure("en", long); len(r.TooLong) != 1 {
		t.Fatalf("%+v", r)
	}
	if r := comms.Measure("en", "The PTPH is next week. The case was adjourned."); len(r.Unexplained) != 2 {
		t.Fatalf("jargon: %v", r.Unexplained)
	}
	if r := comms.Measure("en", "He is on bail."); len(r.Unexplained) != 1 {
		t.Fatalf("bail unexplained: %v", r.Unexplained)
	}
	if r := comms.Measure("en", "He is on bail. This means they can live outside prison."); len(r.Unexplained) != 0 {
		t.Fatalf("bail explained: %v", r.Unexplained)
	}
	if r := comms.Measure("en", "Notwithstanding considerable institutional reorganisation, prosecutorial determinations necessitate comprehensive evaluation."); !r.UnderThreshold {
		t.Fatalf("hard English passes: %+v", r)
	}
	if r := comms.Measure("cy", "Gwrthgyfansoddiadoldeb cydweithredoliaethau anghydffurfiaethwyr."); !r.UnderThreshold {
		t.Fatalf("hard Welsh passes: %+v", r)
	}
}

func TestTriggers(t *testing.T) {
	c := fold(t, "en", journeyTo(charged, firstListed)...)
	evs := []throughline.Event{{Type: "charged", Version: 5, Data: &throughline.Charged{DefendantID: "D1", Method: "custody"}}}
	tr := comms.Triggers(c, evs)
	if len(tr) != 1 || tr[0].Kind != comms.KindCharge || tr[0].About != "charged" || tr[0].Complainant != "C1" {
		t.Fatalf("%+v", tr)
	}
}

// What a lock screen shows of a message (an email's subject, the start of a
// text) says nothing of the case: every kind, in both languages, has the
// one neutral subject and first line, free of every name, place, reference
// and word of the case.
func TestLockScreenSaysNothingOfTheCase(t *testing.T) {
	covered := map[string]map[string]bool{"en": {}, "cy": {}}
	for _, sc := range scenarios() {
		for _, lang := range []string{"en", "cy"} {
			c := fold(t, lang, sc.lines...)
			at := now
			if !sc.at.IsZero() {
				at = sc.at
			}
			m, err := comms.Compose(c, sc.req, at)
			if err != nil {
				t.Fatalf("%s/%s: %v", sc.name, lang, err)
			}
			covered[lang][sc.req.Kind] = true
			first, _, _ := strings.Cut(m.Body, "\n")
			shown := m.Subject + "\n" + first
			// A text message's lock-screen preview is about its first 100
			// characters: all of it must be the neutral line.
			if len(first) < 40 || m.Subject != comms.LockScreen[lang] || first != comms.LockScreen[lang]+"." {
				t.Errorf("%s/%s: lock screen shows %q", sc.name, lang, shown)
			}
			secrets := []string{"Amelia", "Hart", "Daniel", "Ross", "13RS", c.Ref, "rape", "trais", "court", "llys", "charged", "cyhuddo", "case", "achos"}
			secrets = append(secrets, m.Names...)
			for _, sec := range secrets {
				if sec != "" && strings.Contains(strings.ToLower(shown), strings.ToLower(sec)) {
					t.Errorf("%s/%s: the lock screen shows %q: %q", sc.name, lang, sec, shown)
				}
			}
		}
	}
	for _, lang := range []string{"en", "cy"} {
		for _, k := range comms.Kinds {
			if !covered[lang][k] {
				t.Errorf("kind %s/%s is not checked", lang, k)
			}
		}
	}
}

// News a person tells: a warrant owes no machine message but a task for the
// victim's named contact, to tell her and record it.
func TestToldByAPerson(t *testing.T) {
	c := fold(t, "en", journeyTo(charged, firstListed)...)
	evs := []throughline.Event{{Type: throughline.TypeWarrantIssued, Version: 9, Data: &throughline.WarrantIssued{DefendantID: "D1"}}}
	if tr := comms.Triggers(c, evs); len(tr) != 0 {
		t.Fatalf("a warrant composed a message: %+v", tr)
	}
	o := comms.Consequences{}.Owed(c, evs)
	if len(o.Tasks) != 1 || o.Tasks[0].Kind != throughline.TaskTell || o.Tasks[0].Complainant != "C1" || !strings.Contains(o.Tasks[0].Detail, "Right 8.1") {
		t.Fatalf("%+v", o.Tasks)
	}
}

// A change of the person who is the victim's contact owes her the news of
// her new contact, once; a change of someone else on the team owes nothing.
func TestTeamChangeOwesNewContact(t *testing.T) {
	lines := journeyTo(charged, contact, wcoGwen)
	c := fold(t, "en", lines...)
	oic := `{"type":"case_team_changed","occurred_at":"2024-11-20","data":{"role":"officer_in_case","name":"DC Lee Marsh","handover":"Charged; file with the CPS"}}`
	for _, tc := range []struct {
		line string
		want int
	}{{wcoLee, 1}, {oic, 0}} {
		c2 := fold(t, "en", append(append([]string{}, lines...), tc.line)...)
		e, err := throughline.ParseEvent([]byte(`{"case":"13RS0000101/24",` + tc.line[1:]))
		if err != nil {
			t.Fatal(err)
		}
		e.Version = c2.Version
		owed := comms.Triggers(c2, []throughline.Event{e})
		if len(owed) != tc.want || (tc.want == 1 && (owed[0].Kind != comms.KindContactChanged || !strings.HasPrefix(owed[0].Facts, "Lee Marsh|"))) {
			t.Errorf("%s: owed %+v", tc.line, owed)
		}
	}
	if c.Complainants[0].Contact.Name != "Gwen Price" {
		t.Errorf("contact before the change: %+v", c.Complainants[0].Contact)
	}
}
