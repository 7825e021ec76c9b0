package throughline

import (
	"fmt"
	"slices"
	"strings"
)

// decideDevices checks an event of the device extraction family (PCSCA 2022
// Part 2 Chapter 3, data_devices.go); ok is false for other events.
func decideDevices(c *Case, e Event) (ok bool, err error) {
	switch d := e.Data.(type) {
	case *DeviceExtractionRequested:
		return true, decideDeviceRequest(c, e.OccurredAt, d)
	case *DeviceExtractionAnswered:
		x, err := deviceRequest(c, d.ComplainantID, d.RequestID)
		if err != nil {
			return true, err
		}
		return true, decideDeviceAnswer(e, x, d)
	case *DeviceExtractionWithdrawn:
		x, err := deviceRequest(c, d.ComplainantID, d.RequestID)
		if err != nil {
			return true, err
		}
		switch {
		case !x.WithdrawnOn.IsZero():
			return true, refuse("She already withdrew her agreement to request %s on %s", x.RequestID, x.WithdrawnOn)
		case x.Answer != DeviceAgreed:
			return true, refuse("She has not agreed to request %s, so there is no agreement to withdraw", x.RequestID)
		}
		return true, notBefore(e, "her agreement", x.AnsweredOn)
	case *VictimInformed:
		// The notice of a device extraction request names it, and must be
		// in writing (s.39(3)); decide checks the rest of a victim_informed.
		if d.About != TypeDeviceExtractionRequested || d.RequestID == "" {
			return false, nil
		}
		if _, err := deviceRequest(c, d.ComplainantID, d.RequestID); err != nil {
			return true, err
		}
		if !slices.Contains(WrittenChannels, d.Channel) {
			return true, refuse("The notice about device extraction request %s must be given in writing (PCSCA 2022 s.39(3)): record the letter, email, text message or portal message that gave it, not a %s", d.RequestID, strings.ReplaceAll(d.Channel, "_", " "))
		}
	}
	return false, nil
}

// deviceRequest finds a complainant's device extraction request.
func deviceRequest(c *Case, complainantID, id string) (*DeviceExtraction, error) {
	cp, err := complainant(c, complainantID)
	if err != nil {
		return nil, err
	}
	x := cp.Device(id)
	if x == nil {
		return nil, refuse("complainant %s has no device extraction request %s", cp.ID, id)
	}
	return x, nil
}

// decideDeviceRequest refuses a request about someone who is not a
// complainant, one whose id is taken, and, from Chapter3InForce, one that
// leaves any condition unanswered, naming each: extraction under s.37(1) is
// lawful only where s.37(5) and (7)–(8) are met, and s.39(3) requires the
// notice to say what is sought and how it will be handled.
func decideDeviceRequest(c *Case, on When, d *DeviceExtractionRequested) error {
	cp, err := complainant(c, d.ComplainantID)
	if err != nil {
		return err
	}
	if cp.Device(d.RequestID) != nil {
		return refuse("device extraction request %s already exists", d.RequestID)
	}
	if on.Before(Chapter3InForce) {
		return nil
	}
	if missing := unanswered(d.conditions()); len(missing) > 0 {
		return &Error{Code: EINVALID, Message: "information may be extracted from her device only if each condition of PCSCA 2022 ss.37 and 39 is met", Fields: missing}
	}
	return nil
}

// decideDeviceAnswer refuses a second answer (she withdraws an agreement,
// or a new request asks again), an answer after she withdrew, and, from
// Chapter3InForce, an agreement before the written notice of s.39(3) was
// delivered to her, one she did not confirm in writing (s.39(4)), and one
// to a scope wider than the request's.
func decideDeviceAnswer(e Event, x *DeviceExtraction, d *DeviceExtractionAnswered) error {
	switch {
	case !x.WithdrawnOn.IsZero():
		return refuse("She withdrew her agreement to request %s on %s: the extraction must stop. To ask her again, record a new request", x.RequestID, x.WithdrawnOn)
	case x.Answer != "":
		return refuse("Her answer to request %s was already recorded (%s on %s). If she has changed her mind, record that she withdrew her agreement, or record a new request", x.RequestID, x.Answer, x.AnsweredOn)
	}
	if err := notBefore(e, "the request", x.RequestedOn); err != nil {
		return err
	}
	if d.Answer != DeviceAgreed || e.OccurredAt.Before(Chapter3InForce) {
		return nil
	}
	switch {
	case x.NoticeOn.IsZero():
		return refuse("Her agreement cannot be recorded yet: the written notice about request %s has not reached her. The law says she must have it before she agrees (PCSCA 2022 s.39(3)). You can record her answer once the written notice has reached her", x.RequestID)
	case e.OccurredAt.Before(x.NoticeOn):
		return refuse("Her agreement on %s is before the written notice reached her on %s. The law says she must have it before she agrees (PCSCA 2022 s.39(3))", e.OccurredAt, x.NoticeOn)
	case !d.ConfirmedInWriting:
		return &Error{Code: EINVALID, Message: "her agreement counts only once she confirms it in writing (PCSCA 2022 s.39(4))",
			Fields: []FieldError{{Field: "confirmed_in_writing", Message: "Her agreement can be recorded only once she has confirmed in writing that she gave the device voluntarily and agrees to the extraction (s.39(4))"}}}
	}
	var wider []FieldError
	for _, k := range d.DataKinds {
		if !slices.Contains(x.DataKinds, k) {
			wider = append(wider, FieldError{Field: "data_kinds", Message: fmt.Sprintf("The request did not ask for %s: she can agree to less than was asked, never more", strings.ReplaceAll(k, "_", " "))})
		}
	}
	if x.ScopeFrom != "" && d.ScopeFrom != "" && d.ScopeFrom < x.ScopeFrom {
		wider = append(wider, FieldError{Field: "scope_from", Message: "The agreed dates start before the request's (" + x.ScopeFrom + "): she can agree to less than was asked, never more"})
	}
	if x.ScopeTo != "" && d.ScopeTo != "" && d.ScopeTo > x.ScopeTo {
		wider = append(wider, FieldError{Field: "scope_to", Message: "The agreed dates end after the request's (" + x.ScopeTo + "): she can agree to less than was asked, never more"})
	}
	if len(wider) > 0 {
		return &Error{Code: EINVALID, Message: "the scope she agreed to is wider than the request: the extraction may take only what the notice told her of (PCSCA 2022 s.39(3)(a))", Fields: wider}
	}
	return nil
}

// applyDevices folds an event of the device extraction family; false for
// other events. A delivered notice of a request marks the request and is
// folded as any victim_informed too.
func (c *Case) applyDevices(e Event) bool {
	on := e.OccurredAt
	switch d := e.Data.(type) {
	case *DeviceExtractionRequested:
		cp := c.Complainant(d.ComplainantID)
		cp.Devices = append(cp.Devices, DeviceExtraction{DeviceExtractionRequested: *d, RequestedOn: on})
	case *DeviceExtractionAnswered:
		x := c.Complainant(d.ComplainantID).Device(d.RequestID)
		x.Answer, x.AnsweredOn = d.Answer, on
		if d.Answer == DeviceAgreed {
			a := *d
			if a.ScopeFrom == "" {
				a.ScopeFrom = x.ScopeFrom
			}
			if a.ScopeTo == "" {
				a.ScopeTo = x.ScopeTo
			}
			x.Agreed = &a
		}
	case *DeviceExtractionWithdrawn:
		c.Complainant(d.ComplainantID).Device(d.RequestID).WithdrawnOn = on
	case *VictimInformed:
		if d.About == TypeDeviceExtractionRequested && d.RequestID != "" {
			if cp := c.Complainant(d.ComplainantID); cp != nil {
				if x := cp.Device(d.RequestID); x != nil && x.NoticeOn.IsZero() {
					x.NoticeOn = on
				}
			}
		}
		return false
	default:
		return false
	}
	return true
}

// unanswered names each condition left empty, asking it.
func unanswered(cs []condition) (out []FieldError) {
	for _, x := range cs {
		if strings.TrimSpace(*x.v) == "" {
			out = append(out, FieldError{Field: x.field, Message: x.ask})
		}
	}
	return out
}
