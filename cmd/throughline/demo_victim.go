package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"throughline"
	"throughline/sqlstore"
)

// The victim's side of the demo: the directory administrators keep (how to
// reach the demo staff, and support services), and a demo case whose
// victim a reviewer can sign in as. Every service here is fictional: the
// names say so, the numbers are Ofcom's drama ranges and the addresses
// example.org. No real service's details are invented.

// demoDirectory fills an empty directory. It can run on every start.
func demoDirectory(ctx context.Context, s *sqlstore.Store, users map[string]throughline.User, now time.Time) error {
	admin := users[throughline.RoleAdmin].ID
	if cs, err := s.StaffContacts(ctx); err != nil || len(cs) > 0 {
		return err
	}
	weekdays := "Monday to Friday, 9am to 5pm"
	for _, c := range []throughline.StaffContact{
		{Name: demoWitnessCare, Role: throughline.ContactWitnessCare, Team: "West Yorkshire Witness Care Unit", Agency: "wcu:13", UserID: users[throughline.RoleWitnessCare].ID,
			Phone: "0113 496 0201", Email: "gwen.price@witness-care.example.org", Hours: weekdays},
		{Role: throughline.ContactWitnessCare, Team: "West Yorkshire Witness Care Unit", Agency: "wcu:13", Phone: "0113 496 0200", Email: "witness-care@example.org", Hours: "Monday to Friday, 8am to 6pm"},
		{Name: demoOfficer, Role: throughline.ContactOfficer, Team: "West Yorkshire Police", Agency: "police:13", UserID: users[throughline.RoleOfficer].ID,
			Phone: "0113 496 0210", Email: "priya.shah@police.example.org", Hours: "Monday to Friday, 8am to 4pm (leave a message at other times)"},
		{Name: "Ana Lopes", Role: throughline.ContactISVA, Team: "the ISVA service (demo)", Agency: users[throughline.RoleISVA].Agency, UserID: users[throughline.RoleISVA].ID,
			Phone: "0113 496 0220", Email: "ana.lopes@isva.example.org", Hours: weekdays},
	} {
		if _, err := s.SaveStaffContact(ctx, admin, c); err != nil {
			return err
		}
	}
	checked := now.AddDate(0, 0, -20).Format(time.DateOnly)
	national := []string{throughline.AreaNational}
	wy := []string{"13"}
	for _, v := range []throughline.SupportService{
		{Name: "Example Survivors' Helpline (fictional)", Offers: "Someone to listen, and help to find support near you. You do not have to give your name.",
			For: []string{throughline.ForAll}, Areas: national, Phone: "0808 157 0900", Web: "https://example.org/helpline", Hours: "Every day, 8am to midnight"},
		{Name: "West Yorkshire Example Sexual Violence Service (fictional)", Offers: "Counselling, and support by phone or face to face, for as long as you need it.",
			For: []string{throughline.ForAll}, Areas: wy, Phone: "0113 496 0300", Email: "help@svs.example.org", Hours: "Monday to Friday, 9am to 8pm"},
		{Name: "Example Women's Centre (fictional)", Offers: "Support groups, counselling and advice, run by women for women.",
			For: []string{throughline.ForWomen}, Areas: wy, Phone: "0113 496 0310", Web: "https://example.org/womens-centre", Hours: "Monday to Saturday, 10am to 4pm"},
		{Name: "Example Sisters' Project (fictional)", Offers: "A \"by and for\" service: Black and minoritised women supporting Black and minoritised survivors, in several languages.",
			For: []string{throughline.ForByAndFor, throughline.ForWomen}, Areas: wy, Phone: "0113 496 0320", Web: "https://example.org/sisters", Hours: "Monday to Friday, 10am to 6pm"},
		{Name: "Example Men's Support Line (fictional)", Offers: "Support for men and boys who have been raped or sexually abused, at any time in their lives.",
			For: []string{throughline.ForMen}, Areas: national, Phone: "0808 157 0930", Web: "https://example.org/mens-line", Hours: "Monday to Friday, 10am to 8pm"},
		{Name: "Example Rainbow Line (fictional)", Offers: "Support from LGBT+ people who understand, by phone, chat or email.",
			For: []string{throughline.ForLGBT}, Areas: national, Phone: "0808 157 0940", Email: "talk@rainbow.example.org", Hours: "Monday to Friday, 1pm to 9pm"},
		{Name: "Example Deaf Access Service (fictional)", Offers: "Support in British Sign Language by video call, and for disabled survivors.",
			For: []string{throughline.ForDeaf, throughline.ForDisabled}, Areas: national, Text: "07700 900 950", Web: "https://example.org/deaf-access", Hours: "Monday to Friday, 9am to 5pm"},
		{Name: "Example Young People's Service (fictional)", Offers: "Support for children and young people up to 25, and the adults who care for them.",
			For: []string{throughline.ForYoung}, Areas: wy, Phone: "0113 496 0360", Hours: "Monday to Friday, 9am to 7pm"},
		{Name: "Llinell Gymorth Enghreifftiol (ffug, fictional)", Offers: "Cymorth yn Gymraeg i oroeswyr trais rhywiol. Support in Welsh for survivors of sexual violence.",
			For: []string{throughline.ForWelshLanguage, throughline.ForAll}, Areas: national, Phone: "0808 157 0970", Hours: "Dydd Llun i ddydd Gwener, 9am i 5pm"},
	} {
		v.CheckedOn = checked
		if _, err := s.SaveSupportService(ctx, admin, v); err != nil {
			return err
		}
	}
	return nil
}

// demoVictim is a demo case whose first complainant gets sign-in codes by
// email or text, among refs, preferring one with an ISVA: "" if none.
func demoVictim(ctx context.Context, s *sqlstore.Store, refs []string) (string, error) {
	for _, ref := range refs {
		c, err := s.Case(ctx, ref)
		if err != nil {
			return "", err
		}
		if cp := c.Complainant("C1"); cp != nil && cp.Preferences != nil && len(cp.Preferences.Channels) > 0 {
			if ch := cp.Preferences.Channels[0]; ch == "email" || ch == "sms" {
				return ref, nil
			}
		}
	}
	return "", nil
}

func printDemoVictim(m *Main, addr, ref string, outbox bool) {
	if ref == "" {
		return
	}
	where := "to the address recorded with its victim"
	if outbox {
		where = fmt.Sprintf("to the demo outbox, http://%s/demo/outbox (demo only: nothing is really sent)", addr)
	}
	fmt.Fprintf(m.Stdout, "Demo victim: sign in at http://%s/victim with case number %s; the code goes %s\n", addr, ref, where)
}

// demoFeedback gives the survey's answers of some demo victims, so that the
// feedback dashboard has figures: for up to perStage cases at each stage
// the survey asks about, a rating drawn from the case's reference (most
// kept well informed, some not) and, for one in four, a fictional comment.
// The demo victim answers herself. It runs only while no answer is kept.
func demoFeedback(ctx context.Context, s *sqlstore.Store, victim string) error {
	if n, err := s.FeedbackCounts(ctx); err != nil || len(n) > 0 {
		return err
	}
	const perStage = 60
	ratings := []int{5, 4, 4, 5, 3, 4, 2, 5, 1, 4, 3, 5}
	comments := []string{
		"I was told about the trial date the same day the court set it. Thank you.",
		"Nobody rang me back for two weeks.",
		"The letters were clear but I did not know who to call.",
		"My Witness Care officer was kind and explained everything.",
	}
	for _, st := range []string{throughline.StageCrownCourt, throughline.StageConvicted, throughline.StageSentenced} {
		cs, err := s.Cases(ctx, throughline.CaseFilter{Stage: st, Limit: perStage})
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Ref == victim {
				continue
			}
			h := fnv.New32a()
			h.Write([]byte(c.Ref))
			k := int(h.Sum32())
			f := throughline.Feedback{CaseRef: c.Ref, ComplainantID: "C1", Stage: throughline.FeedbackStage(st), Rating: ratings[k%len(ratings)]}
			if k%4 == 0 {
				f.Comment = comments[(k/4)%len(comments)]
			}
			if err := s.GiveFeedback(ctx, f); err != nil && throughline.ErrorCode(err) != throughline.ECONFLICT {
				return err
			}
		}
	}
	return nil
}
