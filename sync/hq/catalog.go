package hq

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/tillpos/till/i18n"
	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/goodscsv"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/wire"
)

// defaultCatalogPage is how many changes a pull gets unless it asks.
const defaultCatalogPage = 1000

// catalog answers a pull: the changes of the terminal's own store after
// ?since=N, a page at a time. Cost grows with the changes since the
// cursor, never with the whole catalog's history.
func (s *Server) catalog(w http.ResponseWriter, r *http.Request, t storage.Terminal) {
	q := r.URL.Query()
	since, err := optUint(q.Get("since"), 0)
	if err != nil {
		writeError(w, http.StatusBadRequest, "since: "+err.Error())
		return
	}
	limit, err := optUint(q.Get("limit"), defaultCatalogPage)
	if err != nil || limit == 0 {
		writeError(w, http.StatusBadRequest, "limit: want a positive whole number")
		return
	}
	limit = min(limit, wire.MaxCatalogPage)
	cs, err := s.store.Changes(r.Context(), t.Store, since, int(limit)+1)
	if err != nil {
		s.log.Error("catalog changes", "store", t.Store, "err", err)
		writeError(w, http.StatusServiceUnavailable, "head office could not read the catalog; try again")
		return
	}
	resp := wire.CatalogResponse{Store: t.Store, Changes: []wire.Change{}, Cursor: since}
	if len(cs) > int(limit) {
		cs, resp.More = cs[:limit], true
	}
	for _, c := range cs {
		resp.Changes = append(resp.Changes, wire.Change{Seq: c.Seq, SKU: c.SKU, Product: c.Product, Staff: c.Staff,
			Deleted: c.Product == nil && c.Staff == nil})
		resp.Cursor = c.Seq
	}
	writeJSON(w, http.StatusOK, resp)
}

func optUint(s string, def uint64) (uint64, error) {
	if s == "" {
		return def, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

// ImportCSV reads a goods CSV (the terminal's format, package goodscsv)
// into a store's catalog, all or nothing, and writes what it did to w.
// Prices are read with the currency's exponent. With replace, goods of
// the store missing from the file are deleted. Terminals of the store get
// the changes at their next sync.
// What it did is written in p's language.
func ImportCSV(ctx context.Context, b storage.Backend, p *i18n.Printer, store string, r io.Reader, exponent int, replace bool, w io.Writer) (storage.ImportResult, error) {
	if err := storage.ValidStore(store); err != nil {
		return storage.ImportResult{}, err
	}
	parsed, err := goodscsv.Parse(r, exponent)
	if err != nil {
		return storage.ImportResult{}, err
	}
	ps := make([]pos.Product, len(parsed.Rows))
	for i, row := range parsed.Rows {
		ps[i] = row.Product
	}
	res, err := b.ImportCatalog(ctx, store, storage.CatalogImport{Put: ps, Replace: replace})
	if err != nil {
		return res, err
	}
	for _, h := range parsed.Ignored {
		p.Fprintf(w, "ignored column %q\n", h)
	}
	_, err = p.Fprintf(w, "store %s: %d added, %d updated, %d unchanged, %d deleted; catalog change %d\n",
		store, res.Added, res.Updated, res.Unchanged, res.Deleted, res.Seq)
	return res, err
}
