package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCalendarFiveDayWeek(t *testing.T) {
	c := newCalendar(5)
	for _, tc := range []struct{ t, sitting, next float64 }{
		{0, 0, 0}, {4.5, 4.5, 4.5}, {5, 5, 7}, {6.2, 5, 7}, {7, 5, 7}, {8, 6, 8}, {13, 10, 14},
	} {
		if got := c.sitting(tc.t); got != tc.sitting {
			t.Errorf("sitting(%v) = %v, want %v", tc.t, got, tc.sitting)
		}
		if got := c.next(tc.t); got != tc.next {
			t.Errorf("next(%v) = %v, want %v", tc.t, got, tc.next)
		}
	}
	// A 3.5-day trial from Thursday morning ends Tuesday at noon.
	if got := c.after(3, 3.5); got != 8.5 {
		t.Errorf("after(3, 3.5) = %v, want 8.5", got)
	}
	// Filling Friday ends on Friday evening, not Monday.
	if got := c.after(3, 2); got != 5 {
		t.Errorf("after(3, 2) = %v, want 5", got)
	}
}

// TestCalendarAfterInverts checks that after(t, d) is d sitting days after t
// and lands in sitting time, for random t, d and fractional weeks.
func TestCalendarAfterInverts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 10000 {
		c := newCalendar(0.5 + r.Float64()*6.5)
		t0 := c.next(r.Float64() * 3000)
		d := r.Float64() * 40
		end := c.after(t0, d)
		if got := c.sitting(end) - c.sitting(t0); math.Abs(got-d) > 1e-9 {
			t.Fatalf("k=%v: sitting between %v and after(%v) = %v is %v, want %v", c.k, t0, d, end, got, d)
		}
		if w := math.Floor(end / 7); end-7*w > c.k+1e-9 && d > 0 {
			t.Fatalf("k=%v: after(%v, %v) = %v is not in sitting time", c.k, t0, d, end)
		}
	}
	daily := newCalendar(7)
	if daily.after(3.3, 2) != 5.3 || daily.next(6.5) != 6.5 || daily.sitting(6.5) != 6.5 {
		t.Error("a daily calendar must be the identity")
	}
}
