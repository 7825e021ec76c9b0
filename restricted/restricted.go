// Package restricted keeps restricted material (ADR 0402): what a holder
// sends back in answer to a victim information request (PCSCA 2022 Part 2
// Chapter 3A). It seals each item with package envelope under the key the
// server holds outside the database, records it with an event that carries
// only ids and the digest of its ciphertext, and opens it only for the
// case's named disclosure officer and reviewing prosecutor
// (throughline.CanHoldRestricted), writing every access with its
// justification to the consultation log before anything is shown. Redacted
// copies the named two make are opened for the case team.
package restricted

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"throughline"
	"throughline/envelope"
)

// Store is what keeping material needs from storage.
type Store interface {
	Append(ctx context.Context, e throughline.Event, expected int64) ([]throughline.Event, *throughline.Case, error)
	AppendMaterial(ctx context.Context, e throughline.Event, expected int64, item envelope.Sealed) ([]throughline.Event, *throughline.Case, error)
	Material(ctx context.Context, ref, id string) (envelope.Sealed, error)
	LogConsultations(ctx context.Context, cs ...throughline.Consultation) error
}

// Service keeps the restricted material of every case.
type Service struct {
	Store Store
	// Key wraps the data keys; nil: this server holds no material key and
	// neither stores nor opens material (EUNAVAILABLE).
	Key envelope.KeyWrapper
	Now func() time.Time
}

// Item is an item as the named two see it: what the envelope holds.
type Item struct {
	Title     string `json:"title"`
	Holder    string `json:"holder,omitempty"`
	MediaType string `json:"media_type"`
	Content   []byte `json:"content"`
}

// Text reports whether the item is text a page can show.
func (it Item) Text() bool {
	return strings.HasPrefix(it.MediaType, "text/plain") && utf8.Valid(it.Content)
}

// Access is who asks, and how they stand to the case: Full is the case as
// the log holds it.
type Access struct {
	User     throughline.User
	Case     *throughline.Case
	Relation throughline.Relation
	Channel  string // throughline.ChannelPage or ChannelAPI
}

// Upload is material received in answer to a request.
type Upload struct {
	RequestID string
	Title     string
	Holder    string
	MediaType string
	Content   []byte
	// Received is when it arrived (default: today).
	Received throughline.When
}

// notFound is the answer to anyone not entitled: exactly the answer for a
// case they may not see.
func notFound(ref string) error {
	return throughline.Errorf(throughline.ENOTFOUND, "no case %s", ref)
}

// May reports whether a may hold the case's restricted material.
func May(a Access) bool {
	return throughline.CanHoldRestricted(a.User, a.Case, a.Relation).Allowed
}

func (s *Service) key() error {
	if s.Key == nil {
		return throughline.Errorf(throughline.EUNAVAILABLE, "Restricted material cannot be stored or read: this server was started without a material key (see docs/operations.md)")
	}
	return nil
}

// Receive seals and records material received in answer to a request.
// Only the named two may: whoever uploads sees the content, so nobody else
// ever holds it in Throughline. Errors: ENOTFOUND for anyone else;
// EINVALID naming request_id, title, holder or content; EUNAVAILABLE
// without a key; ECONFLICT if the case moved meanwhile.
func (s *Service) Receive(ctx context.Context, a Access, in Upload) (string, error) {
	d := throughline.CanHoldRestricted(a.User, a.Case, a.Relation)
	if !d.Allowed {
		return "", notFound(a.Case.Ref)
	}
	var fields []throughline.FieldError
	bad := func(f, msg string) { fields = append(fields, throughline.FieldError{Field: f, Message: msg}) }
	var cp *throughline.Complainant
	for i := range a.Case.Complainants {
		if a.Case.Complainants[i].Request(in.RequestID) != nil {
			cp = &a.Case.Complainants[i]
		}
	}
	switch {
	case strings.TrimSpace(in.RequestID) == "":
		bad("request_id", "Choose the request the material answers")
	case cp == nil:
		bad("request_id", "The case has no information request "+in.RequestID)
	}
	checkTitle(bad, in.Title)
	if msg := throughline.CheckText(in.Holder, throughline.DefaultText); msg != "" {
		bad("holder", msg)
	}
	if len(in.Content) == 0 {
		bad("content", "Give the material's content")
	}
	if len(fields) > 0 {
		return "", &throughline.Error{Code: throughline.EINVALID, Message: "the material was not stored", Fields: fields}
	}
	if err := s.key(); err != nil {
		return "", err
	}
	id := nextID(a.Case, "M")
	at := in.Received
	if at.IsZero() {
		at = throughline.At(s.Now())
	}
	item := Item{Title: strings.TrimSpace(in.Title), Holder: strings.TrimSpace(in.Holder), MediaType: mediaType(in.MediaType, in.Content), Content: in.Content}
	sealed, err := s.seal(a.Case.Ref, id, item)
	if err != nil {
		return "", err
	}
	e := s.event(a, at, &throughline.RestrictedMaterialReceived{MaterialID: id, ComplainantID: cp.ID, RequestID: in.RequestID, SHA256: sealed.Digest()})
	// Storing it is a collection of personal data: logged as every access is.
	if err := s.log(ctx, a, d, "stored in answer to request "+in.RequestID, "upload "+id); err != nil {
		return "", err
	}
	if _, _, err := s.Store.AppendMaterial(ctx, e, a.Case.Version, sealed); err != nil {
		return "", err
	}
	return id, nil
}

func checkTitle(bad func(f, msg string), title string) {
	if strings.TrimSpace(title) == "" {
		bad("title", "Give the material a title")
	} else if msg := throughline.CheckText(title, throughline.DefaultText); msg != "" {
		bad("title", msg)
	}
}

// The verbs of the consultation log's target for each access.
const (
	View     = "view"
	Download = "download"
)

// Open returns item id (an original or a redacted copy) for one of the
// named two, after logging the access with its justification (verb is
// View or Download). Errors: ENOTFOUND for anyone else or no such item;
// EINVALID naming justification; EUNAVAILABLE if the key is missing or is
// not the one the item was sealed under.
func (s *Service) Open(ctx context.Context, a Access, id, verb, justification string) (Item, error) {
	d := throughline.CanHoldRestricted(a.User, a.Case, a.Relation)
	if !d.Allowed {
		return Item{}, notFound(a.Case.Ref)
	}
	if a.Case.RestrictedItem(id) == nil {
		if _, r := a.Case.RedactionOf(id); r == nil {
			return Item{}, throughline.Errorf(throughline.ENOTFOUND, "no material %s", id)
		}
	}
	if err := checkJustification(justification); err != nil {
		return Item{}, err
	}
	if err := s.key(); err != nil {
		return Item{}, err
	}
	if err := s.log(ctx, a, d, justification, verb+" "+id); err != nil {
		return Item{}, err
	}
	return s.open(ctx, a.Case, id)
}

// OpenRedacted returns redacted copy id for a member of the case team
// entitled to its full record (not a pseudonymised or victim-facing view),
// logging the read as any read of the case. Errors: ENOTFOUND; EUNAVAILABLE.
func (s *Service) OpenRedacted(ctx context.Context, a Access, id string) (Item, *throughline.Redaction, error) {
	read := throughline.Can(a.User, throughline.ActionReadCase, &throughline.CaseScope{Ref: a.Case.Ref, Force: a.Case.Force, CPSArea: a.Case.CPSArea}, a.Relation)
	if !read.Allowed || read.WithholdsFreeText() {
		return Item{}, nil, notFound(a.Case.Ref)
	}
	_, r := a.Case.RedactionOf(id)
	if r == nil {
		return Item{}, nil, throughline.Errorf(throughline.ENOTFOUND, "no redacted copy %s", id)
	}
	if err := s.key(); err != nil {
		return Item{}, nil, err
	}
	e := throughline.Consultation{UserID: a.User.ID, UserName: a.User.Name, Role: a.User.Role, Agency: a.User.Agency, CaseRef: a.Case.Ref,
		Parts: []string{throughline.PartWork}, Purpose: read.Purpose, Basis: read.Basis, Channel: a.Channel, Target: "redacted copy " + id}
	if read.Basis == throughline.BasisBreakGlass {
		e.BreakGlass = a.Relation.BreakGlass
	}
	if err := s.Store.LogConsultations(ctx, e); err != nil {
		return Item{}, nil, err
	}
	it, err := s.open(ctx, a.Case, id)
	return it, r, err
}

// Redact stores a redacted copy of material id, made by one of the named
// two for wider sharing, and records who made it and why. Errors:
// ENOTFOUND; EINVALID naming title, content or reason; EUNAVAILABLE.
func (s *Service) Redact(ctx context.Context, a Access, id string, copy Item, reason string) (string, error) {
	d := throughline.CanHoldRestricted(a.User, a.Case, a.Relation)
	if !d.Allowed {
		return "", notFound(a.Case.Ref)
	}
	if a.Case.RestrictedItem(id) == nil {
		return "", throughline.Errorf(throughline.ENOTFOUND, "no material %s", id)
	}
	var fields []throughline.FieldError
	bad := func(f, msg string) { fields = append(fields, throughline.FieldError{Field: f, Message: msg}) }
	checkTitle(bad, copy.Title)
	if len(copy.Content) == 0 {
		bad("content", "Give the redacted copy's content")
	}
	if len(strings.TrimSpace(reason)) < 20 {
		bad("reason", "Say what was taken out and why the rest may be shared, in at least 20 characters")
	}
	if len(fields) > 0 {
		return "", &throughline.Error{Code: throughline.EINVALID, Message: "the redacted copy was not stored", Fields: fields}
	}
	if err := s.key(); err != nil {
		return "", err
	}
	rid := nextID(a.Case, id+"-R")
	copy.Title, copy.Holder, copy.MediaType = strings.TrimSpace(copy.Title), "", mediaType(copy.MediaType, copy.Content)
	sealed, err := s.seal(a.Case.Ref, rid, copy)
	if err != nil {
		return "", err
	}
	e := s.event(a, throughline.At(s.Now()), &throughline.RestrictedMaterialRedacted{MaterialID: id, RedactionID: rid, SHA256: sealed.Digest(), Reason: strings.TrimSpace(reason)})
	if err := s.log(ctx, a, d, reason, "redact "+id+" as "+rid); err != nil {
		return "", err
	}
	if _, _, err := s.Store.AppendMaterial(ctx, e, a.Case.Version, sealed); err != nil {
		return "", err
	}
	return rid, nil
}

// checkJustification applies the rule of a break-glass justification
// (throughline.ValidateJustification), naming the field of these forms.
func checkJustification(j string) error {
	err := throughline.ValidateJustification(j)
	if te, ok := err.(*throughline.Error); ok {
		for i := range te.Fields {
			te.Fields[i].Field = "justification"
			te.Fields[i].Message = strings.Replace(te.Fields[i].Message, "this case", "the material", 1) + ": it is written to the case's access log"
		}
	}
	return err
}

func (s *Service) event(a Access, at throughline.When, d throughline.Data) throughline.Event {
	return throughline.Event{Case: a.Case.Ref, Type: d.EventType(), OccurredAt: at, RecordedAt: throughline.At(s.Now()), Actor: a.User.ID, Agency: a.User.Agency, Data: d}
}

// log writes the consultation log entry for one access by the named two,
// durably, before anything is shown or stored.
func (s *Service) log(ctx context.Context, a Access, d throughline.Decision, justification, target string) error {
	return s.Store.LogConsultations(ctx, throughline.Consultation{UserID: a.User.ID, UserName: a.User.Name, Role: a.User.Role, Agency: a.User.Agency,
		CaseRef: a.Case.Ref, Parts: []string{throughline.PartRestricted}, Purpose: d.Purpose + ": " + strings.TrimSpace(justification),
		Basis: d.Basis, Channel: a.Channel, Target: "restricted material: " + target})
}

// context binds an item's ciphertext to its case and id.
func bindTo(ref, id string) []byte {
	return []byte("throughline restricted material\x00" + ref + "\x00" + id)
}

func (s *Service) seal(ref, id string, it Item) (envelope.Sealed, error) {
	b, err := json.Marshal(it)
	if err != nil {
		return envelope.Sealed{}, err
	}
	return envelope.Seal(s.Key, b, bindTo(ref, id))
}

// open reads and decrypts item id of case c, after checking its ciphertext
// is the one its event recorded.
func (s *Service) open(ctx context.Context, c *throughline.Case, id string) (Item, error) {
	want := ""
	if it := c.RestrictedItem(id); it != nil {
		want = it.SHA256
	} else if _, r := c.RedactionOf(id); r != nil {
		want = r.SHA256
	}
	sealed, err := s.Store.Material(ctx, c.Ref, id)
	if err != nil {
		return Item{}, err
	}
	if sealed.Digest() != want {
		return Item{}, throughline.Errorf(throughline.EUNAVAILABLE, "Material %s cannot be read: what is stored is not what was recorded (its digest differs from the event's)", id)
	}
	b, err := envelope.Open(s.Key, sealed, bindTo(c.Ref, id))
	switch {
	case errors.Is(err, envelope.ErrOtherKey):
		return Item{}, throughline.Errorf(throughline.EUNAVAILABLE, "Material %s cannot be read: it was sealed under a material key this server does not hold. Ask the service's administrators to serve with the key it was stored under (see docs/operations.md).", id)
	case err != nil:
		return Item{}, throughline.Errorf(throughline.EUNAVAILABLE, "Material %s cannot be read: it failed its integrity check", id)
	}
	var it Item
	if err := json.Unmarshal(b, &it); err != nil {
		return Item{}, fmt.Errorf("material %s: %w", id, err)
	}
	return it, nil
}

// nextID is the first of prefix1, prefix2, … not used on the case.
func nextID(c *throughline.Case, prefix string) string {
	for n := 1; ; n++ {
		id := fmt.Sprintf("%s%d", prefix, n)
		_, r := c.RedactionOf(id)
		if c.RestrictedItem(id) == nil && r == nil {
			return id
		}
	}
}

// mediaType is the type given, or text/plain for valid UTF-8 and
// application/octet-stream for anything else.
func mediaType(given string, content []byte) string {
	switch {
	case given != "":
		return given
	case utf8.Valid(content):
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

// People is what naming someone needs from storage: who they are and how
// they stand to the case.
type People interface {
	User(ctx context.Context, id string) (throughline.User, error)
	Relation(ctx context.Context, u throughline.User, ref string) (throughline.Relation, error)
}

// Designate records that userID holds role (DisclosureOfficer or
// ReviewingProsecutor) on the case, as a.User names them: only the case's
// supervisor of the role's agency may (throughline.CanDesignate). Errors:
// EFORBIDDEN; EINVALID naming role, user_id or reason; ECONFLICT.
func (s *Service) Designate(ctx context.Context, a Access, role, userID, reason string, people People) error {
	var fields []throughline.FieldError
	if !slices.Contains(throughline.DisclosureRoles, role) {
		fields = append(fields, throughline.FieldError{Field: "role", Message: "Choose the disclosure officer or the reviewing prosecutor"})
	}
	designee, err := people.User(ctx, userID)
	if err != nil && throughline.ErrorCode(err) != throughline.ENOTFOUND {
		return err
	}
	if err != nil || userID == "" {
		fields = append(fields, throughline.FieldError{Field: "user_id", Message: "Choose a person"})
	}
	if strings.TrimSpace(reason) == "" {
		fields = append(fields, throughline.FieldError{Field: "reason", Message: "Say why they hold the role"})
	}
	if len(fields) > 0 {
		return &throughline.Error{Code: throughline.EINVALID, Message: "nobody was named", Fields: fields}
	}
	sc := throughline.CaseScope{Ref: a.Case.Ref, Force: a.Case.Force, CPSArea: a.Case.CPSArea}
	rel, err := people.Relation(ctx, designee, a.Case.Ref)
	if err != nil {
		return err
	}
	if err := throughline.CanDesignate(a.User, role, designee, sc, a.Relation, rel); err != nil {
		return err
	}
	e := s.event(a, throughline.At(s.Now()), &throughline.DisclosureDesignated{Role: role, UserID: designee.ID, Name: designee.Name, Reason: strings.TrimSpace(reason)})
	_, _, err = s.Store.Append(ctx, e, a.Case.Version)
	return err
}
