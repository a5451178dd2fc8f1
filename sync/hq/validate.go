package hq

import (
	"encoding/json"
	"fmt"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/wire"
)

// A record head office refuses is answered with a reason and never stored;
// the terminal sets it aside and carries on with the rest. The checks are
// the ones that need no other record: the body is what its kind says, it
// belongs to the pushing terminal, and it passes the domain's own checks
// (pos.Sale.Check, pos.Refund.Check, pos.Report.CheckZ,
// pos.DrawerEvent.Check), the same ones the
// terminal runs before it stores a record.

// record checks one pushed record and turns it into what storage keeps.
func record(t storage.Terminal, currency string, r wire.Record) (storage.Record, error) {
	if err := pos.CheckRecordID(r.ID); err != nil {
		return storage.Record{}, err
	}
	out := storage.Record{Kind: r.Kind, ID: r.ID, Store: t.Store, Terminal: t.ID, Currency: currency, Body: r.Body}
	var err error
	switch r.Kind {
	case pos.RecordSale:
		err = saleRecord(t.ID, currency, r, &out)
	case pos.RecordRefund:
		err = refundRecord(t.ID, r, &out)
	case pos.RecordZReport:
		err = zRecord(t.ID, r, &out)
	case pos.RecordDrawer:
		err = drawerRecord(t.ID, r, &out)
	default:
		err = fmt.Errorf("unknown kind %q", r.Kind)
	}
	return out, err
}

func decodeBody(r wire.Record, v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("body is not a %s: %v", r.Kind, err)
	}
	return nil
}

func saleRecord(terminal, currency string, r wire.Record, out *storage.Record) error {
	var s pos.Sale
	if err := decodeBody(r, &s); err != nil {
		return err
	}
	if s.ID != r.ID {
		return fmt.Errorf("body is sale %s, record says %s", s.ID, r.ID)
	}
	if s.Terminal != terminal {
		return fmt.Errorf("sale of terminal %q, credential is for %s", s.Terminal, terminal)
	}
	if s.Currency != currency {
		return fmt.Errorf("sale in %q, terminal sells in %s", s.Currency, currency)
	}
	if err := s.Check(); err != nil {
		return err
	}
	out.At, out.Total, out.Tax = s.At, s.Due, s.Tax
	return nil
}

func refundRecord(terminal string, r wire.Record, out *storage.Record) error {
	var f pos.Refund
	if err := decodeBody(r, &f); err != nil {
		return err
	}
	if f.ID != r.ID {
		return fmt.Errorf("body is refund %s, record says %s", f.ID, r.ID)
	}
	if f.Terminal != terminal {
		return fmt.Errorf("refund of terminal %q, credential is for %s", f.Terminal, terminal)
	}
	if err := f.Check(); err != nil {
		return err
	}
	out.At, out.Total, out.Tax = f.At, f.Total+f.Rounding, f.Tax
	return nil
}

func zRecord(terminal string, r wire.Record, out *storage.Record) error {
	var z pos.Report
	if err := decodeBody(r, &z); err != nil {
		return err
	}
	if err := z.CheckZ(); err != nil {
		return err
	}
	if z.Terminal != terminal {
		return fmt.Errorf("report of terminal %q, credential is for %s", z.Terminal, terminal)
	}
	if want := pos.ZReportID(z.Number, terminal); r.ID != want {
		return fmt.Errorf("Z report %d has id %s, want %s", z.Number, r.ID, want)
	}
	tax, err := z.TaxTotal()
	if err != nil {
		return err
	}
	out.At, out.Total, out.Tax = z.TakenAt, z.Net, tax
	return nil
}

// drawerRecord checks a drawer event (float, pay-in, pay-out, no-sale);
// its Total is the cash it moved into the drawer, negative for a pay-out.
func drawerRecord(terminal string, r wire.Record, out *storage.Record) error {
	var e pos.DrawerEvent
	if err := decodeBody(r, &e); err != nil {
		return err
	}
	if e.ID != r.ID {
		return fmt.Errorf("body is drawer event %s, record says %s", e.ID, r.ID)
	}
	if e.Terminal != terminal {
		return fmt.Errorf("drawer event of terminal %q, credential is for %s", e.Terminal, terminal)
	}
	if err := e.Check(); err != nil {
		return err
	}
	out.At, out.Total = e.At, e.Signed()
	return nil
}
