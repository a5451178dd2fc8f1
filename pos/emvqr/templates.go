package emvqr

import (
	"github.com/tillpos/till/internal/errmsg"
)

// AdditionalData is the additional data field template (ID 62).
type AdditionalData struct {
	BillNumber          string // 01
	MobileNumber        string // 02
	StoreLabel          string // 03
	LoyaltyNumber       string // 04
	ReferenceLabel      string // 05
	CustomerLabel       string // 06
	TerminalLabel       string // 07
	Purpose             string // 08: purpose of transaction
	ConsumerDataRequest string // 09: any of "A", "M", "E" (address, mobile, email)
	// Extra holds every other sub-field (RFU 10-49, payment system specific
	// templates 50-99, and 00 as some schemes use it), in order.
	Extra []Field

	order []string
}

// LanguageTemplate is the merchant information language template (ID 64).
// Its values may contain any UTF-8 characters.
type LanguageTemplate struct {
	Preference string // 00: ISO 639-1 language code, such as "ZH"
	Name       string // 01: merchant name in the alternate language
	City       string // 02: merchant city in the alternate language
	// Extra holds RFU sub-fields 03-99, in order.
	Extra []Field

	order []string
}

// template is the typed view of template 62 or 64.
type template interface {
	// stringField returns the typed field for sub-field id, or nil.
	stringField(id string) *string
}

// loadTemplate fills t's typed fields from the sub-fields of template
// parent, which start at byte offset base, and returns the others and the
// order they all came in.
func loadTemplate(t template, parent string, sub []Field, base int) (extra []Field, order []string, err error) {
	seen := map[string]bool{}
	off := base
	for _, f := range sub {
		if seen[f.ID] {
			return nil, nil, newErr(ErrDuplicate, parent+"."+f.ID, off, errmsg.Errorf("data object id occurs more than once"))
		}
		seen[f.ID] = true
		off += 4 + len(f.Value)
		order = append(order, f.ID)
		if s := t.stringField(f.ID); s != nil {
			*s = f.Value
		} else {
			extra = append(extra, f)
		}
	}
	return extra, order, nil
}

// templateField returns template id as a Field: the typed fields t has set
// (ids, in canonical order), then extra, arranged as decoded. Its Value is
// "" if no sub-field is set.
func templateField(t template, id, name string, ids []string, extra []Field, order []string) (Field, error) {
	var present []Field
	for _, sid := range ids {
		if v := *t.stringField(sid); v != "" {
			present = append(present, Field{ID: sid, Value: v})
		}
	}
	for _, f := range extra {
		if _, ok := idNum(f.ID); !ok || t.stringField(f.ID) != nil {
			return Field{}, newErr(ErrFormat, id, -1, errmsg.Errorf("id %q is not allowed in %s.Extra", f.ID, name))
		}
		present = append(present, f)
	}
	if err := checkUnique(present, id); err != nil {
		return Field{}, err
	}
	f := Field{ID: id, Sub: arrange(present, order)}
	f.Value = f.encodedValue()
	return f, nil
}

func loadAdditional(sub []Field, base int) (*AdditionalData, error) {
	a := &AdditionalData{}
	var err error
	if a.Extra, a.order, err = loadTemplate(a, "62", sub, base); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *AdditionalData) stringField(id string) *string {
	switch id {
	case "01":
		return &a.BillNumber
	case "02":
		return &a.MobileNumber
	case "03":
		return &a.StoreLabel
	case "04":
		return &a.LoyaltyNumber
	case "05":
		return &a.ReferenceLabel
	case "06":
		return &a.CustomerLabel
	case "07":
		return &a.TerminalLabel
	case "08":
		return &a.Purpose
	case "09":
		return &a.ConsumerDataRequest
	}
	return nil
}

var additionalIDs = []string{"01", "02", "03", "04", "05", "06", "07", "08", "09"}

// field returns template 62 as a Field; its Value is "" if no sub-field is set.
func (a *AdditionalData) field() (Field, error) {
	return templateField(a, "62", "AdditionalData", additionalIDs, a.Extra, a.order)
}

func loadLanguage(sub []Field, base int) (*LanguageTemplate, error) {
	l := &LanguageTemplate{}
	var err error
	if l.Extra, l.order, err = loadTemplate(l, "64", sub, base); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *LanguageTemplate) stringField(id string) *string {
	switch id {
	case "00":
		return &l.Preference
	case "01":
		return &l.Name
	case "02":
		return &l.City
	}
	return nil
}

var languageIDs = []string{"00", "01", "02"}

// field returns template 64 as a Field; its Value is "" if no sub-field is set.
func (l *LanguageTemplate) field() (Field, error) {
	return templateField(l, "64", "LanguageTemplate", languageIDs, l.Extra, l.order)
}
