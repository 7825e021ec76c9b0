package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"throughline/internal/validatortest"
	"throughline/notify"
	"throughline/notify/mailpittest"
	"throughline/notify/notifytest"
)

func TestEmailToARealSMTPServer(t *testing.T) {
	mp := mailpittest.Start(t)
	e, err := notify.NewEmail(mp.SMTP, "Witness Care <wcu@example.gov.uk>", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	d := notify.Delivery{Reference: "TL-1-0-0", MessageID: "tl-1-0@throughline.test", To: "amelia@example.org", Subject: "Eich achos", Body: "Annwyl Amelia,\n\nMae'r treial ar ddydd Llun 12 Mai 2025. Ŵ ŷ â", Lang: "cy"}
	if r, err := e.Send(ctx, d); err != nil || r.Status != notify.Delivered {
		t.Fatalf("%+v %v", r, err)
	}
	// The same message again (a resend after a crash): the receiver drops it by Message-ID.
	if _, err := e.Send(ctx, d); err != nil {
		t.Fatal(err)
	}
	got := mp.Search("message-id:tl-1-0@throughline.test")
	if len(got) != 1 {
		t.Fatalf("%d copies arrived, want 1", len(got))
	}
	if body := mp.Body(got[0].ID); !strings.Contains(body, "ddydd Llun 12 Mai 2025. Ŵ ŷ â") {
		t.Fatalf("body: %q", body)
	}
	// A server that is down: a technical failure, nothing sent.
	mp.Stop()
	_, err = e.Send(ctx, notify.Delivery{Reference: "TL-2-0-0", MessageID: "tl-2-0@throughline.test", To: "amelia@example.org", Subject: "x", Body: "y"})
	if notify.FailureKind(err) != notify.Technical {
		t.Fatalf("server down: %v", err)
	}
	mp.Restart()
	if _, err := e.Send(ctx, notify.Delivery{Reference: "TL-2-0-1", MessageID: "tl-2-0@throughline.test", To: "amelia@example.org", Subject: "x", Body: "y"}); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	// A bad address is permanent.
	if _, err := e.Send(ctx, notify.Delivery{Reference: "TL-3", MessageID: "tl-3@throughline.test", To: "not an address", Subject: "x", Body: "y"}); notify.FailureKind(err) != notify.Permanent {
		t.Fatalf("bad address: %v", err)
	}
}

func TestNotifyClientAgainstTheFake(t *testing.T) {
	fake := notifytest.New(t)
	fake.Final = func(n *notifytest.Notification) string {
		if strings.HasSuffix(n.PhoneNumber, "000") {
			return "permanent-failure"
		}
		if n.Type == "letter" {
			return "received"
		}
		return "delivered"
	}
	ctx := context.Background()
	sms, err := notify.NewNotify(fake.URL, fake.Key(), "sms")
	if err != nil {
		t.Fatal(err)
	}
	r, err := sms.Send(ctx, notify.Delivery{Reference: "TL-9-1-0", To: "07700900123", Body: "Your case: the trial is on Monday 12 May 2025."})
	if err != nil || r.Status != notify.Accepted || r.ProviderID == "" {
		t.Fatalf("%+v %v", r, err)
	}
	fake.Wait(r.ProviderID) // the fake has moved it to its final status
	if st, err := sms.Status(ctx, r.ProviderID); err != nil || st.Status != notify.Delivered {
		t.Fatalf("not delivered: %+v %v", st, err)
	}
	found, ok, err := sms.Lookup(ctx, "TL-9-1-0")
	if err != nil || !ok || found.ProviderID != r.ProviderID {
		t.Fatalf("lookup: %+v %v %v", found, ok, err)
	}
	if _, ok, err := sms.Lookup(ctx, "TL-NONE"); err != nil || ok {
		t.Fatalf("lookup of nothing: %v %v", ok, err)
	}
	// A failing number: permanent.
	r2, err := sms.Send(ctx, notify.Delivery{Reference: "TL-10-1-0", To: "07700900000", Body: "x"})
	if err != nil {
		t.Fatal(err)
	}
	fake.Wait(r2.ProviderID)
	if st, err := sms.Status(ctx, r2.ProviderID); err != nil || st.Status != notify.Permanent {
		t.Fatalf("status %+v %v", st, err)
	}
	// Validation failure: permanent; a wrong key: technical; an outage: temporary.
	if _, err := sms.Send(ctx, notify.Delivery{Reference: "x", To: "12", Body: "x"}); notify.FailureKind(err) != notify.Permanent {
		t.Fatalf("bad number: %v", err)
	}
	bad, _ := notify.NewNotify(fake.URL, "throughline_test-"+fake.ServiceID+"-00000000-0000-0000-0000-000000000000", "sms")
	if _, err := bad.Send(ctx, notify.Delivery{Reference: "x", To: "07700900123", Body: "x"}); notify.FailureKind(err) != notify.Technical || !strings.Contains(err.Error(), "Invalid token") {
		t.Fatalf("wrong secret: %v", err)
	}
	// The token's iat is the transport's clock, checked by the fake against
	// its own: a client clock two minutes slow is refused.
	skewed, _ := notify.NewNotify(fake.URL, fake.Key(), "sms")
	skewed.Now = func() time.Time { return time.Now().Add(-2 * time.Minute) }
	if _, err := skewed.Send(ctx, notify.Delivery{Reference: "x", To: "07700900123", Body: "x"}); err == nil || !strings.Contains(err.Error(), "clock") {
		t.Fatalf("stale iat: %v", err)
	}
	fake.SetDown(true)
	if _, err := sms.Send(ctx, notify.Delivery{Reference: "x", To: "07700900123", Body: "x"}); notify.FailureKind(err) != notify.Temporary {
		t.Fatalf("outage: %v", err)
	}
	fake.SetDown(false)

	// A letter goes as a precompiled PDF; a letter with no time of sending
	// is not sent undated or dated by this machine's clock.
	letter, _ := notify.NewNotify(fake.URL, fake.Key(), "letter")
	lr, err := letter.Send(ctx, notify.Delivery{Reference: "TL-11-2-0", To: "Amelia Hart\n1 Heol y Wennol\nAbertawe\nSA1 1AA", Subject: "Eich achos", Body: "Annwyl Amelia,", Lang: "cy", Sent: lateOn31March})
	if err != nil || lr.Status != notify.Accepted {
		t.Fatalf("%+v %v", lr, err)
	}
	fake.Wait(lr.ProviderID)
	if st, err := letter.Status(ctx, lr.ProviderID); err != nil || st.Status != notify.Delivered {
		t.Fatalf("letter: %+v %v", st, err)
	}
	if _, err := letter.Send(ctx, notify.Delivery{Reference: "TL-12-2-0", To: "Amelia Hart\n1 Heol y Wennol", Subject: "x", Body: "y"}); notify.FailureKind(err) != notify.Technical || !strings.Contains(err.Error(), "Delivery.Sent") {
		t.Fatalf("undated letter: %v", err)
	}
}

// lateOn31March is 23:30 UTC on 31 March 2026: 00:30 on 1 April in London,
// where British Summer Time began on 29 March.
var lateOn31March = time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC)

// A letter is dated with the day of its sending in Europe/London, not in UTC
// nor by the machine's clock.
func TestLetterDateIsTheLondonDay(t *testing.T) {
	for _, tc := range []struct {
		at         time.Time
		lang, want string
	}{
		{lateOn31March, "en", "1 April 2026"},
		{lateOn31March, "cy", "1 Ebrill 2026"},
		{time.Date(2026, 3, 31, 22, 59, 0, 0, time.UTC), "en", "31 March 2026"},   // 23:59 BST
		{time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC), "en", "31 January 2026"}, // GMT: London is UTC
		{time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC), "cy", "25 Hydref 2026"},
	} {
		if got := notify.LetterDate(tc.at, tc.lang); got != tc.want {
			t.Errorf("LetterDate(%s, %s) = %q, want %q", tc.at.Format(time.RFC3339), tc.lang, got, tc.want)
		}
	}
}

// The letter as rendered, in English and Welsh, in standard and large
// print, short and long, read back by poppler: a short letter is one A4
// page; a long one breaks onto further pages with the reference and the
// page number at the foot of each and text on each; every font is an
// embedded, tagged subset with a ToUnicode map; the Welsh letters survive;
// the date is the London day of sending.
func TestLetterPDF(t *testing.T) {
	long := func(para string) string {
		return strings.TrimSpace(strings.Repeat(para+"\n\n", 40))
	}
	for _, tc := range []struct {
		name  string
		d     notify.Delivery
		want  []string
		pages string // "1", or "many"
	}{
		{"welsh", notify.Delivery{Reference: "TL-11-2-0", To: "Amelia Hart\n1 Heol y Wennol\nAbertawe\nSA1 1AA", Subject: "Eich achos: dyddiad ar gyfer y treial",
			Body: "Annwyl Amelia,\n\nMae'r llys wedi pennu dyddiad. Ŵ ŷ â ê î ô û ẁ ỳ.", Lang: "cy", Sent: lateOn31March},
			[]string{"Heol y Wennol", "Eich achos: dyddiad ar gyfer y treial", "Ŵ ŷ â ê î ô û ẁ ỳ", "Cyfeirnod TL-11-2-0", "1 Ebrill 2026"}, "1"},
		{"english", notify.Delivery{Reference: "TL-13-2-0", To: "Amelia Hart\n1 Park Row\nLeeds\nLS1 5AB", Subject: "Your case: a date for the trial",
			Body: "Dear Amelia,\n\nThe court has set a date.", Lang: "en", Sent: lateOn31March},
			[]string{"1 Park Row", "Your case: a date for the trial", "The court has set a date.", "Reference TL-13-2-0", "1 April 2026"}, "1"},
		{"welsh-large", notify.Delivery{Reference: "TL-14-2-0", To: "Amelia Hart\n1 Heol y Wennol\nAbertawe\nSA1 1AA", Subject: "Eich achos: dyddiad ar gyfer y treial",
			Body: "Annwyl Amelia,\n\nMae'r llys wedi pennu dyddiad. Ŵ ŷ â ê î ô û ẁ ỳ.", Lang: "cy", Sent: lateOn31March, LargePrint: true},
			[]string{"Eich achos: dyddiad ar gyfer y treial", "Ŵ ŷ â ê î ô û ẁ ỳ", "Cyfeirnod TL-14-2-0", "1 Ebrill 2026"}, "1"},
		{"english-large", notify.Delivery{Reference: "TL-15-2-0", To: "Amelia Hart\n1 Park Row\nLeeds\nLS1 5AB", Subject: "Your case: a date for the trial",
			Body: "Dear Amelia,\n\nThe court has set a date.", Lang: "en", Sent: lateOn31March, LargePrint: true},
			[]string{"Your case: a date for the trial", "The court has set a date.", "Reference TL-15-2-0", "1 April 2026"}, "1"},
		{"welsh-long", notify.Delivery{Reference: "TL-16-2-0", To: "Amelia Hart\n1 Heol y Wennol\nAbertawe\nSA1 1AA", Subject: "Eich achos: beth sy'n digwydd nesaf",
			Body: long("Mae'r llys wedi pennu dyddiad ar gyfer y treial, ac mae eich swyddog achos yn ŵr sy'n gallu ateb eich cwestiynau. Ŵ ŷ â."), Lang: "cy", Sent: lateOn31March},
			[]string{"Eich achos: beth sy'n digwydd nesaf", "Ŵ ŷ â", "1 Ebrill 2026"}, "many"},
		{"english-long-large", notify.Delivery{Reference: "TL-17-2-0", To: "Amelia Hart\n1 Park Row\nLeeds\nLS1 5AB", Subject: "Your case: what happens next",
			Body: long("The court has set a date for the trial, and your case officer can answer your questions about it."), Lang: "en", Sent: lateOn31March, LargePrint: true},
			[]string{"Your case: what happens next", "The court has set a date", "1 April 2026"}, "many"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := notify.RenderLetter(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			again, err := notify.RenderLetter(tc.d)
			if err != nil || !bytes.Equal(pdf, again) {
				t.Errorf("the same delivery rendered twice gave different PDFs (%v)", err)
			}

			info := validatortest.Poppler(t, pdf, "pdfinfo", "%pdf")
			pages, _ := strconv.Atoi(infoField(info, "Pages"))
			if tc.pages == "1" && pages != 1 || tc.pages == "many" && pages < 2 {
				t.Errorf("pdfinfo: %d pages, want %s:\n%s", pages, tc.pages, info)
			}
			if size := infoField(info, "Page size"); !strings.HasSuffix(size, "(A4)") {
				t.Errorf("pdfinfo: page size %q, not A4", size)
			}
			if title := infoField(info, "Title"); title != tc.d.Subject {
				t.Errorf("pdfinfo: title %q, want %q", title, tc.d.Subject)
			}
			lang := map[string]string{"cy": "cy", "en": "en-GB"}[tc.d.Lang]
			if !bytes.Contains(pdf, []byte("/Lang ("+lang+")")) {
				t.Errorf("the document does not name its language %s", lang)
			}

			checkFonts(t, validatortest.Poppler(t, pdf, "pdffonts", "%pdf"))

			text := pdfText(t, pdf)
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("the letter lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "31 March 2026") || strings.Contains(text, "31 Mawrth 2026") {
				t.Errorf("the letter bears the UTC date:\n%s", text)
			}
			// Each page has the reference at its foot and text of the
			// letter above it: no page holds the footer alone.
			ref, page := "Reference ", "page %d of %d"
			if tc.d.Lang == "cy" {
				ref, page = "Cyfeirnod ", "tudalen %d o %d"
			}
			for p := 1; p <= pages; p++ {
				n := strconv.Itoa(p)
				pt := validatortest.Poppler(t, pdf, "pdftotext", "-enc", "UTF-8", "-f", n, "-l", n, "%pdf", "-")
				footer := ref + tc.d.Reference
				if pages > 1 {
					footer += " · " + fmt.Sprintf(page, p, pages)
				}
				if !strings.Contains(pt, footer) {
					t.Errorf("page %d lacks the footer %q:\n%s", p, footer, pt)
				}
				if rest := strings.TrimSpace(strings.ReplaceAll(pt, footer, "")); len(rest) < 20 {
					t.Errorf("page %d holds little but its footer: %q", p, pt)
				}
			}
		})
	}
}

// The subject is set in DejaVu Sans Bold, not in the regular face
// registered as bold, and large print is larger: measured from the word
// boxes pdftotext reports. A bold word is wider for its height than the
// same word in the regular face (about 10% in DejaVu Sans); a large-print
// line is at least 16/12 as tall as a standard one.
func TestLetterFaces(t *testing.T) {
	d := notify.Delivery{Reference: "TL-18-2-0", To: "Amelia Hart\n1 Park Row\nLeeds\nLS1 5AB", Subject: "Wednesday",
		Body: "Wednesday", Lang: "en", Sent: lateOn31March}
	standard, err := notify.RenderLetter(d)
	if err != nil {
		t.Fatal(err)
	}
	d.LargePrint = true
	large, err := notify.RenderLetter(d)
	if err != nil {
		t.Fatal(err)
	}
	sw := wordBoxes(t, standard, "Wednesday")
	lw := wordBoxes(t, large, "Wednesday")
	if len(sw) != 2 || len(lw) != 2 {
		t.Fatalf("want the subject and the body's word in each letter: %v %v", sw, lw)
	}
	subject, body := sw[0], sw[1]
	if r := (subject.w() / subject.h()) / (body.w() / body.h()); r < 1.05 {
		t.Errorf("the subject is not bold: width for height %.3f of the body's", r)
	}
	if r := lw[1].h() / body.h(); r < 16.0/12-0.01 {
		t.Errorf("large print is %.2f times the standard size, want at least 16/12", r)
	}
}

// checkFonts reads pdffonts' table: every font embedded (emb), a subset
// tagged as one (sub: its name "ABCDEF+…", ISO 32000-1 §9.6.4) and with a
// ToUnicode map (uni), in DejaVu Sans and DejaVu Sans Bold.
func checkFonts(t *testing.T, table string) {
	t.Helper()
	faces := validatortest.PDFFonts(t, table)
	if len(faces) != 2 || !faces["DejaVuSans"] || !faces["DejaVuSans-Bold"] {
		t.Errorf("pdffonts: want DejaVu Sans and DejaVu Sans Bold, and nothing else:\n%s", table)
	}
}

// infoField is one field of pdfinfo's output ("Pages", "Page size").
func infoField(info, name string) string {
	for _, l := range strings.Split(info, "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

type box struct{ xMin, yMin, xMax, yMax float64 }

func (b box) w() float64 { return b.xMax - b.xMin }
func (b box) h() float64 { return b.yMax - b.yMin }

// wordBoxes is where word stands on the first page, in reading order, from
// pdftotext -bbox.
func wordBoxes(t *testing.T, pdf []byte, word string) []box {
	t.Helper()
	out := validatortest.Poppler(t, pdf, "pdftotext", "-bbox", "-f", "1", "-l", "1", "%pdf", "-")
	re := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">` + regexp.QuoteMeta(word) + `</word>`)
	var boxes []box
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		boxes = append(boxes, box{v[0], v[1], v[2], v[3]})
	}
	return boxes
}

func TestParseKey(t *testing.T) {
	sid, secret, err := notify.ParseKey("my_key-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0")
	if err != nil || sid != "26785a09-ab16-4eb0-8407-a37497a57506" || secret != "3d844edf-8d35-48ac-975b-e847b4f122b0" {
		t.Fatalf("%q %q %v", sid, secret, err)
	}
	if _, _, err := notify.ParseKey("short"); err == nil {
		t.Fatal("short key accepted")
	}
}

// pdfText extracts a PDF's text with pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return validatortest.Poppler(t, pdf, "pdftotext", "-enc", "UTF-8", "%pdf", "-")
}
