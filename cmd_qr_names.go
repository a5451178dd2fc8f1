package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/internal/table"
	"github.com/tillpos/till/pos/emvqr"
)

// qrFieldNames are the EMV specification's names of the data objects
// (emvqr.FieldName's), as catalog keys, for till qr decode to print in
// the shop's language, and the schemes' names for their accounts'
// fields (Pix's key, NAPAS's acquirer ID). A name missing here prints
// as emvqr writes it.
var qrFieldNames = map[string]bool{
	i18n.N("payload format indicator"):               true,
	i18n.N("point of initiation method"):             true,
	i18n.N("merchant account information"):           true,
	i18n.N("merchant category code"):                 true,
	i18n.N("transaction currency"):                   true,
	i18n.N("transaction amount"):                     true,
	i18n.N("tip or convenience indicator"):           true,
	i18n.N("value of convenience fee fixed"):         true,
	i18n.N("value of convenience fee percentage"):    true,
	i18n.N("country code"):                           true,
	i18n.N("merchant name"):                          true,
	i18n.N("merchant city"):                          true,
	i18n.N("postal code"):                            true,
	i18n.N("additional data field template"):         true,
	i18n.N("crc"):                                    true,
	i18n.N("merchant information language template"): true,
	i18n.N("rfu"):                                    true,
	i18n.N("unreserved template"):                    true,
	i18n.N("bill number"):                            true,
	i18n.N("mobile number"):                          true,
	i18n.N("store label"):                            true,
	i18n.N("loyalty number"):                         true,
	i18n.N("reference label"):                        true,
	i18n.N("customer label"):                         true,
	i18n.N("terminal label"):                         true,
	i18n.N("purpose of transaction"):                 true,
	i18n.N("additional consumer data request"):       true,
	i18n.N("language preference"):                    true,
	i18n.N("merchant name alternate language"):       true,
	i18n.N("merchant city alternate language"):       true,
	i18n.N("globally unique identifier"):             true,
	// The schemes' names for their accounts' fields (emvqr's scheme tables).
	i18n.N("account number"):                                   true,
	i18n.N("acquirer ID"):                                      true,
	i18n.N("acquirer ID (bank BIN)"):                           true,
	i18n.N("additional information"):                           true,
	i18n.N("amount editable"):                                  true,
	i18n.N("bank account"):                                     true,
	i18n.N("beneficiary organization"):                         true,
	i18n.N("biller ID"):                                        true,
	i18n.N("e-wallet ID"):                                      true,
	i18n.N("expiry date"):                                      true,
	i18n.N("merchant ID"):                                      true,
	i18n.N("merchant PAN"):                                     true,
	i18n.N("merchant credit account"):                          true,
	i18n.N("merchant criteria"):                                true,
	i18n.N("merchant or consumer ID (account or card number)"): true,
	i18n.N("minimum amount"):                                   true,
	i18n.N("national ID or tax ID"):                            true,
	i18n.N("national merchant ID (NMID)"):                      true,
	i18n.N("payload URL"):                                      true,
	i18n.N("pix key"):                                          true,
	i18n.N("proxy type (0 mobile, 2 UEN)"):                     true,
	i18n.N("proxy value"):                                      true,
	i18n.N("reference 1"):                                      true,
	i18n.N("reference 2"):                                      true,
	i18n.N("service code"):                                     true,
	i18n.N("virtual payment address"):                          true,
}

// qrFieldName is a field's name in p's language: the specification's,
// or a merchant account named by its network or scheme.
func qrFieldName(p *i18n.Printer, name string) string {
	if qrFieldNames[name] {
		return p.T(name)
	}
	if inner, ok := strings.CutPrefix(name, "merchant account ("); ok && strings.HasSuffix(inner, ")") {
		return p.T("merchant account (%s)", strings.TrimSuffix(inner, ")"))
	}
	return name
}

// printFields prints a payload's fields, one a line, indented by depth,
// the values lined up in display cells after the names.
func printFields(w io.Writer, p *i18n.Printer, named []emvqr.Named) {
	for _, n := range named {
		indent := strings.Repeat("  ", n.Depth)
		id := n.Path[strings.LastIndex(n.Path, ".")+1:]
		name := qrFieldName(p, n.Name)
		if n.Value == "" {
			fmt.Fprintf(w, "%s%s %s\n", indent, id, name)
			continue
		}
		fmt.Fprintf(w, "%s%s %s %q\n", indent, id, table.Left(name, 34), n.Value)
	}
}

// qrVerdict is v's one line (emvqr.Verdict.String) in p's language.
func qrVerdict(p *i18n.Printer, v emvqr.Verdict) string {
	if v.Scheme == nil {
		return p.T("valid EMV merchant-presented QR")
	}
	out := p.T("valid %s", v.Scheme.Name)
	for _, n := range v.Notes {
		out += p.ListSep() + p.ErrorText(n)
	}
	return out
}
