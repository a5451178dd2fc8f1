package emvqr

import "fmt"

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

func loadAdditional(sub []Field, base int) (*AdditionalData, error) {
	a := &AdditionalData{}
	seen := map[string]bool{}
	off := base
	for _, f := range sub {
		if seen[f.ID] {
			return nil, newErr(ErrDuplicate, "62."+f.ID, off, "data object id occurs more than once")
		}
		seen[f.ID] = true
		off += 4 + len(f.Value)
		a.order = append(a.order, f.ID)
		if s := a.stringField(f.ID); s != nil {
			*s = f.Value
		} else {
			a.Extra = append(a.Extra, f)
		}
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

func loadLanguage(sub []Field, base int) (*LanguageTemplate, error) {
	l := &LanguageTemplate{}
	seen := map[string]bool{}
	off := base
	for _, f := range sub {
		if seen[f.ID] {
			return nil, newErr(ErrDuplicate, "64."+f.ID, off, "data object id occurs more than once")
		}
		seen[f.ID] = true
		off += 4 + len(f.Value)
		l.order = append(l.order, f.ID)
		if s := l.stringField(f.ID); s != nil {
			*s = f.Value
		} else {
			l.Extra = append(l.Extra, f)
		}
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

// field returns template 62 as a Field; its Value is "" if no sub-field is set.
func (a *AdditionalData) field() (Field, error) {
	var present []Field
	for _, id := range additionalIDs {
		if v := *a.stringField(id); v != "" {
			present = append(present, Field{ID: id, Value: v})
		}
	}
	for _, f := range a.Extra {
		if n, ok := idNum(f.ID); !ok || n >= 1 && n <= 9 {
			return Field{}, newErr(ErrFormat, "62", -1, fmt.Sprintf("id %q is not allowed in AdditionalData.Extra", f.ID))
		}
		present = append(present, f)
	}
	return templateField("62", present, a.order)
}

// field returns template 64 as a Field; its Value is "" if no sub-field is set.
func (l *LanguageTemplate) field() (Field, error) {
	var present []Field
	for _, id := range languageIDs {
		if v := *l.stringField(id); v != "" {
			present = append(present, Field{ID: id, Value: v})
		}
	}
	for _, f := range l.Extra {
		if n, ok := idNum(f.ID); !ok || n <= 2 {
			return Field{}, newErr(ErrFormat, "64", -1, fmt.Sprintf("id %q is not allowed in LanguageTemplate.Extra", f.ID))
		}
		present = append(present, f)
	}
	return templateField("64", present, l.order)
}

func templateField(id string, present []Field, order []string) (Field, error) {
	if err := checkUnique(present, id); err != nil {
		return Field{}, err
	}
	sub := arrange(present, order)
	f := Field{ID: id, Sub: sub}
	f.Value = f.encodedValue()
	return f, nil
}
