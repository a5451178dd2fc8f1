package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/wire"
)

// pull fetches the store's catalog changes after the stored cursor, a
// page at a time, and applies each page together with its cursor in one
// transaction: a crash between pages loses nothing, and the next pull
// asks again from the last cursor stored.
func (c *conn) pull(ctx context.Context, st Store) (int, error) {
	cursor, err := st.CatalogCursor()
	if err != nil {
		return 0, err
	}
	pulled := 0
	for first := true; ; first = false {
		q := url.Values{"since": {strconv.FormatUint(cursor, 10)}, "limit": {strconv.Itoa(c.cfg.PageSize)}}
		var resp wire.CatalogResponse
		if err := c.do(ctx, http.MethodGet, wire.PathCatalog+"?"+q.Encode(), nil, &resp); err != nil {
			return pulled, err
		}
		// The terminal's shop name is for receipts, not a store ID: only a
		// store ID the config names is compared with head office's.
		if first && c.cfg.Store != "" && resp.Store != c.cfg.Store {
			c.cfg.Logger.Warn("sync: head office enrolled this terminal at another store than its own config says",
				"head_office_store", resp.Store, "config_store", c.cfg.Store)
		}
		changes := make([]pos.CatalogChange, len(resp.Changes))
		for i, ch := range resp.Changes {
			if ch.Staff != nil {
				if ch.Product != nil || ch.Deleted || ch.Staff.ID == "" || ch.Staff.PINHash == "" {
					return pulled, fmt.Errorf("catalog change %d: a staff member needs an ID and a PIN hash, and no goods", ch.Seq)
				}
				changes[i] = pos.CatalogChange{Seq: ch.Seq, Staff: ch.Staff}
				continue
			}
			if ch.Deleted == (ch.Product != nil) {
				return pulled, fmt.Errorf("catalog change %d of %s: want a product or deleted, not both or neither", ch.Seq, ch.SKU)
			}
			changes[i] = pos.CatalogChange{Seq: ch.Seq, SKU: ch.SKU, Product: ch.Product}
		}
		res, err := st.ApplyCatalog(changes, resp.Cursor)
		if err != nil {
			return pulled, fmt.Errorf("apply catalog: %w", err)
		}
		pulled += res.Put + res.Deleted + res.Staff
		if !resp.More {
			return pulled, nil
		}
		if res.Cursor <= cursor {
			return pulled, fmt.Errorf("head office's catalog did not move past %d", cursor)
		}
		cursor = res.Cursor
	}
}
