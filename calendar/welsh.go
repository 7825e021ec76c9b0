package calendar

import "time"

var welshMonths = [...]string{"", "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"}

// WelshMonth is the Welsh name of month m: Ionawr … Rhagfyr.
func WelshMonth(m time.Month) string { return welshMonths[m] }
