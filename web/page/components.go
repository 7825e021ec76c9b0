package page

import (
	"html/template"
	"strconv"
	"strings"
)

// GOV.UK Design System components as typed view models. Each mirrors the
// options of the component's Nunjucks macro (the JSON names are the macro's
// option names), so that the component's fixtures in govuk-frontend can be
// rendered through our templates and compared (components_test.go). The
// templates are in templates/govuk.tmpl; MoJ components in moj.tmpl.

// Label is a form control's label.
type Label struct {
	Text          string        `json:"text,omitempty"`
	HTML          template.HTML `json:"html,omitempty"`
	Classes       string        `json:"classes,omitempty"`
	IsPageHeading bool          `json:"isPageHeading,omitempty"`
	For           string        `json:"for,omitempty"`
}

// Hint is the hint text of a form control.
type Hint struct {
	ID      string        `json:"id,omitempty"`
	Text    string        `json:"text,omitempty"`
	HTML    template.HTML `json:"html,omitempty"`
	Classes string        `json:"classes,omitempty"`
}

// ErrorMessage is the error shown beside a form control.
type ErrorMessage struct {
	ID                 string        `json:"id,omitempty"`
	Text               string        `json:"text,omitempty"`
	HTML               template.HTML `json:"html,omitempty"`
	Classes            string        `json:"classes,omitempty"`
	VisuallyHiddenText *string       `json:"visuallyHiddenText,omitempty"`
}

// Prefix is the visually hidden prefix of an error message.
func (e ErrorMessage) Prefix() string {
	if e.VisuallyHiddenText != nil {
		return *e.VisuallyHiddenText
	}
	return "Error"
}

// FormGroup holds extra classes of a form group.
type FormGroup struct {
	Classes string `json:"classes,omitempty"`
}

// Button is a button, or a link styled as one.
type Button struct {
	Text               string        `json:"text,omitempty"`
	HTML               template.HTML `json:"html,omitempty"`
	Href               string        `json:"href,omitempty"`
	Name               string        `json:"name,omitempty"`
	Value              string        `json:"value,omitempty"`
	Type               string        `json:"type,omitempty"`
	Classes            string        `json:"classes,omitempty"`
	ID                 string        `json:"id,omitempty"`
	IsStartButton      bool          `json:"isStartButton,omitempty"`
	Disabled           bool          `json:"disabled,omitempty"`
	PreventDoubleClick *bool         `json:"preventDoubleClick,omitempty"`
}

// ButtonType is the type attribute: submit unless said.
func (b Button) ButtonType() string {
	if b.Type == "" {
		return "submit"
	}
	return b.Type
}

// ClassNames are the button's classes.
func (b Button) ClassNames() string {
	c := "govuk-button"
	if b.Classes != "" {
		c += " " + b.Classes
	}
	if b.IsStartButton {
		c += " govuk-button--start"
	}
	return c
}

// Input is a text input.
type Input struct {
	ID             string        `json:"id,omitempty"`
	Name           string        `json:"name"`
	Type           string        `json:"type,omitempty"`
	Value          string        `json:"value,omitempty"`
	Label          *Label        `json:"label,omitempty"`
	Hint           *Hint         `json:"hint,omitempty"`
	ErrorMessage   *ErrorMessage `json:"errorMessage,omitempty"`
	Classes        string        `json:"classes,omitempty"`
	Autocomplete   string        `json:"autocomplete,omitempty"`
	Inputmode      string        `json:"inputmode,omitempty"`
	Pattern        string        `json:"pattern,omitempty"`
	Autocapitalize string        `json:"autocapitalize,omitempty"`
	Spellcheck     *bool         `json:"spellcheck,omitempty"`
	Disabled       bool          `json:"disabled,omitempty"`
	DescribedBy    string        `json:"describedBy,omitempty"`
	FormGroup      *FormGroup    `json:"formGroup,omitempty"`
}

// IDOrName is the control's id: its id, else its name.
func (i Input) IDOrName() string { return idOr(i.ID, i.Name) }

// InputType is the type attribute: text unless said.
func (i Input) InputType() string {
	if i.Type == "" {
		return "text"
	}
	return i.Type
}

// ClassNames are the input's classes.
func (i Input) ClassNames() string {
	c := "govuk-input"
	if i.Classes != "" {
		c += " " + i.Classes
	}
	if i.ErrorMessage != nil {
		c += " govuk-input--error"
	}
	return c
}

// Described is the aria-describedby value: the given ids, the hint's, the error's.
func (i Input) Described() string {
	return describedBy(i.DescribedBy, i.IDOrName(), i.Hint != nil, i.ErrorMessage != nil)
}

// SpellcheckAttr is "true", "false" or "" (absent).
func (i Input) SpellcheckAttr() string {
	if i.Spellcheck == nil {
		return ""
	}
	return strconv.FormatBool(*i.Spellcheck)
}

// GroupClasses are the form group's extra classes.
func (i Input) GroupClasses() string { return groupClasses(i.FormGroup, i.ErrorMessage != nil) }

func idOr(id, name string) string {
	if id != "" {
		return id
	}
	return name
}

func describedBy(given, id string, hint, err bool) string {
	var parts []string
	if given != "" {
		parts = append(parts, given)
	}
	if hint {
		parts = append(parts, id+"-hint")
	}
	if err {
		parts = append(parts, id+"-error")
	}
	return strings.Join(parts, " ")
}

func groupClasses(fg *FormGroup, err bool) string {
	c := "govuk-form-group"
	if err {
		c += " govuk-form-group--error"
	}
	if fg != nil && fg.Classes != "" {
		c += " " + fg.Classes
	}
	return c
}

// Textarea is a multi-line text input.
type Textarea struct {
	ID           string        `json:"id,omitempty"`
	Name         string        `json:"name"`
	Value        string        `json:"value,omitempty"`
	Rows         int           `json:"rows,omitempty"`
	Label        *Label        `json:"label,omitempty"`
	Hint         *Hint         `json:"hint,omitempty"`
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	Classes      string        `json:"classes,omitempty"`
	Autocomplete string        `json:"autocomplete,omitempty"`
	Spellcheck   *bool         `json:"spellcheck,omitempty"`
	DescribedBy  string        `json:"describedBy,omitempty"`
	FormGroup    *FormGroup    `json:"formGroup,omitempty"`
}

// IDOrName is the control's id.
func (t Textarea) IDOrName() string { return idOr(t.ID, t.Name) }

// RowCount is the rows attribute: 5 unless said.
func (t Textarea) RowCount() int {
	if t.Rows == 0 {
		return 5
	}
	return t.Rows
}

// ClassNames are the textarea's classes.
func (t Textarea) ClassNames() string {
	c := "govuk-textarea"
	if t.Classes != "" {
		c += " " + t.Classes
	}
	if t.ErrorMessage != nil {
		c += " govuk-textarea--error"
	}
	return c
}

// Described is the aria-describedby value.
func (t Textarea) Described() string {
	return describedBy(t.DescribedBy, t.IDOrName(), t.Hint != nil, t.ErrorMessage != nil)
}

// SpellcheckAttr is "true", "false" or "".
func (t Textarea) SpellcheckAttr() string {
	if t.Spellcheck == nil {
		return ""
	}
	return strconv.FormatBool(*t.Spellcheck)
}

// GroupClasses are the form group's classes.
func (t Textarea) GroupClasses() string { return groupClasses(t.FormGroup, t.ErrorMessage != nil) }

// Legend is a fieldset's legend.
type Legend struct {
	Text          string        `json:"text,omitempty"`
	HTML          template.HTML `json:"html,omitempty"`
	Classes       string        `json:"classes,omitempty"`
	IsPageHeading bool          `json:"isPageHeading,omitempty"`
}

// Fieldset groups related controls.
type Fieldset struct {
	Legend      *Legend `json:"legend,omitempty"`
	Classes     string  `json:"classes,omitempty"`
	Role        string  `json:"role,omitempty"`
	DescribedBy string  `json:"describedBy,omitempty"`
}

// Choice is one radio or checkbox, or one option of a select.
type Choice struct {
	Value       string        `json:"value"`
	Text        string        `json:"text,omitempty"`
	HTML        template.HTML `json:"html,omitempty"`
	ID          string        `json:"id,omitempty"`
	Checked     bool          `json:"checked,omitempty"`
	Selected    bool          `json:"selected,omitempty"`
	Disabled    bool          `json:"disabled,omitempty"`
	Hint        *Hint         `json:"hint,omitempty"`
	Divider     string        `json:"divider,omitempty"`
	Conditional template.HTML `json:"-"`
}

// Choices is a set of radios or checkboxes.
type Choices struct {
	IDPrefix     string        `json:"idPrefix,omitempty"`
	Name         string        `json:"name"`
	Items        []Choice      `json:"items"`
	Fieldset     *Fieldset     `json:"fieldset,omitempty"`
	Hint         *Hint         `json:"hint,omitempty"`
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	Classes      string        `json:"classes,omitempty"`
	FormGroup    *FormGroup    `json:"formGroup,omitempty"`
}

// Prefix is the item id prefix: idPrefix, else the name.
func (c Choices) Prefix() string { return idOr(c.IDPrefix, c.Name) }

// ItemID is the id of the i-th item (0-based): the first takes the prefix
// itself, so that an error summary can link to it.
func (c Choices) ItemID(i int) string {
	if c.Items[i].ID != "" {
		return c.Items[i].ID
	}
	if i == 0 {
		return c.Prefix()
	}
	return c.Prefix() + "-" + strconv.Itoa(i+1)
}

// Described is the fieldset's aria-describedby value.
func (c Choices) Described() string {
	given := ""
	if c.Fieldset != nil {
		given = c.Fieldset.DescribedBy
	}
	return describedBy(given, c.Prefix(), c.Hint != nil, c.ErrorMessage != nil)
}

// GroupClasses are the form group's classes.
func (c Choices) GroupClasses() string { return groupClasses(c.FormGroup, c.ErrorMessage != nil) }

// ChoiceItem is an item with its computed id, for the templates.
type ChoiceItem struct {
	Choice
	ItemID string
}

// Each returns the items with their ids.
func (c Choices) Each() []ChoiceItem {
	out := make([]ChoiceItem, len(c.Items))
	for i, it := range c.Items {
		out[i] = ChoiceItem{Choice: it, ItemID: c.ItemID(i)}
	}
	return out
}

// Select is a drop-down.
type Select struct {
	ID           string        `json:"id,omitempty"`
	Name         string        `json:"name"`
	Items        []Choice      `json:"items"`
	Label        *Label        `json:"label,omitempty"`
	Hint         *Hint         `json:"hint,omitempty"`
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
	Classes      string        `json:"classes,omitempty"`
	FormGroup    *FormGroup    `json:"formGroup,omitempty"`
}

// IDOrName is the control's id.
func (s Select) IDOrName() string { return idOr(s.ID, s.Name) }

// Described is the aria-describedby value.
func (s Select) Described() string {
	return describedBy("", s.IDOrName(), s.Hint != nil, s.ErrorMessage != nil)
}

// ClassNames are the select's classes.
func (s Select) ClassNames() string {
	c := "govuk-select"
	if s.Classes != "" {
		c += " " + s.Classes
	}
	if s.ErrorMessage != nil {
		c += " govuk-select--error"
	}
	return c
}

// GroupClasses are the form group's classes.
func (s Select) GroupClasses() string { return groupClasses(s.FormGroup, s.ErrorMessage != nil) }

// DateInput is a day, month and year (and, for us, optionally a time).
type DateInput struct {
	ID           string        `json:"id"`
	NamePrefix   string        `json:"namePrefix,omitempty"`
	Day          string        `json:"-"`
	Month        string        `json:"-"`
	Year         string        `json:"-"`
	Fieldset     *Fieldset     `json:"fieldset,omitempty"`
	Hint         *Hint         `json:"hint,omitempty"`
	ErrorMessage *ErrorMessage `json:"errorMessage,omitempty"`
}

// Prefix is the name prefix of the parts: namePrefix, else the id.
func (d DateInput) Prefix() string { return idOr(d.NamePrefix, d.ID) }

// Described is the fieldset's aria-describedby value.
func (d DateInput) Described() string {
	return describedBy("", d.ID, d.Hint != nil, d.ErrorMessage != nil)
}

// GroupClasses are the form group's classes.
func (d DateInput) GroupClasses() string { return groupClasses(nil, d.ErrorMessage != nil) }

// ErrorClass is the error modifier of each part.
func (d DateInput) ErrorClass() string {
	if d.ErrorMessage != nil {
		return " govuk-input--error"
	}
	return ""
}

// ErrorLink is one entry of an error summary.
type ErrorLink struct {
	Text string        `json:"text,omitempty"`
	HTML template.HTML `json:"html,omitempty"`
	Href string        `json:"href,omitempty"`
}

// ErrorSummary lists a page's errors at its top.
type ErrorSummary struct {
	TitleText        string        `json:"titleText,omitempty"`
	TitleHTML        template.HTML `json:"titleHtml,omitempty"`
	DescriptionText  string        `json:"descriptionText,omitempty"`
	DescriptionHTML  template.HTML `json:"descriptionHtml,omitempty"`
	ErrorList        []ErrorLink   `json:"errorList,omitempty"`
	Classes          string        `json:"classes,omitempty"`
	DisableAutoFocus *bool         `json:"disableAutoFocus,omitempty"`
}

// AutoFocusAttr is the data-disable-auto-focus value, or "".
func (e ErrorSummary) AutoFocusAttr() string {
	if e.DisableAutoFocus == nil {
		return ""
	}
	return strconv.FormatBool(*e.DisableAutoFocus)
}

// HasDescription reports whether there is a description paragraph.
func (e ErrorSummary) HasDescription() bool {
	return e.DescriptionText != "" || e.DescriptionHTML != ""
}

// Tag is a status tag.
type Tag struct {
	Text    string        `json:"text,omitempty"`
	HTML    template.HTML `json:"html,omitempty"`
	Classes string        `json:"classes,omitempty"`
}

// SummaryText is a key or value of a summary list row.
type SummaryText struct {
	Text    string        `json:"text,omitempty"`
	HTML    template.HTML `json:"html,omitempty"`
	Classes string        `json:"classes,omitempty"`
}

// ActionLink is a link in a summary list row or card.
type ActionLink struct {
	Href               string        `json:"href"`
	Text               string        `json:"text,omitempty"`
	HTML               template.HTML `json:"html,omitempty"`
	VisuallyHiddenText string        `json:"visuallyHiddenText,omitempty"`
	Classes            string        `json:"classes,omitempty"`
}

// Actions are a row's or card's links.
type Actions struct {
	Items   []ActionLink `json:"items,omitempty"`
	Classes string       `json:"classes,omitempty"`
}

// SummaryRow is a row of a summary list.
type SummaryRow struct {
	Key     SummaryText `json:"key"`
	Value   SummaryText `json:"value"`
	Actions *Actions    `json:"actions,omitempty"`
	Classes string      `json:"classes,omitempty"`
}

// HasActions reports whether the row has links.
func (r SummaryRow) HasActions() bool { return r.Actions != nil && len(r.Actions.Items) > 0 }

// CardTitle is a summary card's title.
type CardTitle struct {
	Text         string        `json:"text,omitempty"`
	HTML         template.HTML `json:"html,omitempty"`
	HeadingLevel int           `json:"headingLevel,omitempty"`
	Classes      string        `json:"classes,omitempty"`
}

// Level is the heading level: 2 unless said.
func (t CardTitle) Level() int {
	if t.HeadingLevel == 0 {
		return 2
	}
	return t.HeadingLevel
}

// SummaryCard wraps a summary list in a card.
type SummaryCard struct {
	Title   *CardTitle `json:"title,omitempty"`
	Actions *Actions   `json:"actions,omitempty"`
	Classes string     `json:"classes,omitempty"`
}

// SummaryList is a list of keys and values.
type SummaryList struct {
	Rows    []SummaryRow `json:"rows"`
	Classes string       `json:"classes,omitempty"`
	Card    *SummaryCard `json:"card,omitempty"`
}

// AnyActions reports whether any row has links (then rows without get a modifier).
func (l SummaryList) AnyActions() bool {
	for _, r := range l.Rows {
		if r.HasActions() {
			return true
		}
	}
	return false
}

// CardTitle returns the card's title, if any, for the links' hidden text.
func (l SummaryList) CardTitleOf() *CardTitle {
	if l.Card == nil {
		return nil
	}
	return l.Card.Title
}

// actionLinkData is an action link with the card title it is about.
type actionLinkData struct {
	Link  ActionLink
	Title *CardTitle
}

// NotificationBanner is an important message at the top of a page.
type NotificationBanner struct {
	TitleText string
	Heading   string
	Text      string
	Success   bool
	LinkHref  string
	LinkText  string
}

// TableCell is a cell of a table.
type TableCell struct {
	Text    string
	HTML    template.HTML
	Classes string
	Format  string // numeric
	Href    string // a link in the cell
	// SortValue is MoJ sortable table's data-sort-value.
	SortValue string
}

// TableHead is a column heading.
type TableHead struct {
	Text     string
	Href     string // a sort link, without JavaScript
	AriaSort string // ascending, descending, none; "" for an unsortable column
	Format   string
}

// Table is a table; Sortable makes it an MoJ sortable table.
type Table struct {
	Caption           string
	CaptionClasses    string
	Head              []TableHead
	Rows              [][]TableCell
	Sortable          bool
	FirstCellIsHeader bool
	// Stacked shows each row as a block on a narrow screen, every cell
	// under its column's heading (app.css), so a wide list never scrolls
	// sideways on a phone.
	Stacked bool
}

// TimelineItem is an entry of an MoJ timeline.
type TimelineItem struct {
	Label    string
	Byline   string
	DateTime string // machine-readable
	Date     string // in words
	Text     string
	Lines    []string
	Badge    *Tag
}

// Timeline is an MoJ timeline.
type Timeline struct {
	HeadingLevel int
	Items        []TimelineItem
}

// Level is the items' heading level.
func (t Timeline) Level() int {
	if t.HeadingLevel == 0 {
		return 2
	}
	return t.HeadingLevel
}

// Badge is an MoJ badge.
type Badge struct {
	Text    string
	Classes string
}
