package hq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/wire"
)

// chainRefusal is a push refused because of the terminal's journal:
// head office keeps what it has and says why.
type chainRefusal struct {
	status int
	msg    string
	want   uint64 // the sequence head office holds, for HeaderChainSeq
}

// checkChain compares a push's ChainProof with the chain head head office
// holds for the terminal. It returns nil when the push may be stored.
// A terminal that sends no proof is accepted only until head office has
// a head for it (a Till from before the journal).
// It also returns the head it checked against (nil if none).
func (s *Server) checkChain(ctx context.Context, t storage.Terminal, p *wire.ChainProof) (*journal.Entry, *chainRefusal, error) {
	cb, ok := s.store.(storage.ChainBackend)
	if !ok {
		return nil, nil, nil
	}
	known, have, err := cb.ChainHead(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	if !have {
		return nil, nil, nil
	}
	refusal := chainRefused(known, t, p)
	return &known, refusal, nil
}

// chainRefused says why a push's proof p does not extend known, the head
// head office holds for t; nil if it does.
func chainRefused(known journal.Entry, t storage.Terminal, p *wire.ChainProof) *chainRefusal {
	switch {
	case p == nil:
		return &chainRefusal{http.StatusConflict, fmt.Sprintf("the push carries no journal head, but head office holds entry %d of terminal %s's journal", known.Seq, t.ID), known.Seq}
	case p.Head.Seq < known.Seq:
		return &chainRefusal{http.StatusConflict, fmt.Sprintf("%v: the terminal's journal ends at entry %d but head office has seen entry %d: the database was restored from an old copy or cut short; head office keeps what it has",
			journal.ErrBroken, p.Head.Seq, known.Seq), 0}
	case p.At == nil || p.At.Seq != known.Seq:
		return &chainRefusal{http.StatusConflict, fmt.Sprintf("send the journal's entry %d, the last head office holds", known.Seq), known.Seq}
	}
	if err := journal.Extends(known, *p.At); err != nil {
		return &chainRefusal{http.StatusConflict, err.Error() + "; head office keeps what it has", 0}
	}
	if p.Head.Seq == known.Seq && p.Head.Hash != known.Hash {
		return &chainRefusal{http.StatusConflict, fmt.Sprintf("%v: the head entry %d differs from entry %d sent with it", journal.ErrBroken, p.Head.Seq, p.At.Seq), 0}
	}
	return nil
}

// writeChainRefusal answers a refused push.
func writeChainRefusal(w http.ResponseWriter, r *chainRefusal) {
	if r.want > 0 {
		w.Header().Set(wire.HeaderChainSeq, strconv.FormatUint(r.want, 10))
	}
	writeError(w, r.status, r.msg)
}

// putChained stores a push's records and its chain head p.Head (when p
// is set): in one transaction, failing with storage.ErrChainMoved if the
// head is no longer known, when the storage is a ChainedRecordsBackend;
// otherwise the records first, then the head. It returns the chain
// sequence head office holds afterwards.
func (s *Server) putChained(ctx context.Context, t storage.Terminal, recs []storage.Record, known *journal.Entry, p *wire.ChainProof) ([]storage.PutResult, uint64, error) {
	if cb, ok := s.store.(storage.ChainedRecordsBackend); ok && p != nil {
		return cb.PutRecordsChained(ctx, recs, t.ID, known, p.Head)
	}
	results, err := s.store.PutRecords(ctx, recs)
	if err != nil {
		return nil, 0, err
	}
	seq, err := s.saveChain(ctx, t, p)
	return results, seq, err
}

// saveChain stores the push's head as the terminal's, after its records.
func (s *Server) saveChain(ctx context.Context, t storage.Terminal, p *wire.ChainProof) (uint64, error) {
	cb, ok := s.store.(storage.ChainBackend)
	if !ok || p == nil {
		return 0, nil
	}
	known, have, err := cb.ChainHead(ctx, t.ID)
	if err != nil {
		return 0, err
	}
	if have && known.Seq >= p.Head.Seq {
		return known.Seq, nil
	}
	if err := cb.PutChainHead(ctx, t.ID, p.Head); err != nil {
		return 0, errors.Join(errors.New("store chain head"), err)
	}
	return p.Head.Seq, nil
}

// checkSeal verifies a Z report's seal with the terminal's registered key
// (when one was registered at enrolment): a Z report whose signature does
// not verify is refused for good.
func (s *Server) checkSeal(ctx context.Context, t storage.Terminal, rec wire.Record) error {
	kb, ok := s.store.(KeyBackend)
	if !ok || rec.Kind != pos.RecordZReport {
		return nil
	}
	key, err := kb.TerminalKey(ctx, t.ID)
	if err != nil || key == "" {
		return nil // no key registered: nothing to check against
	}
	pub, err := journal.ParsePublicKey(key)
	if err != nil {
		return nil
	}
	var r pos.Report
	if err := json.Unmarshal(rec.Body, &r); err != nil {
		return fmt.Errorf("Z report: %v", err)
	}
	if r.Seal == nil {
		return fmt.Errorf("Z report %d is not sealed, but terminal %s registered a signing key", r.Number, t.ID)
	}
	return r.Seal.Verify(pub)
}
