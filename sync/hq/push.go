package hq

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/hq/storage"
	"github.com/tillpos/till/sync/wire"
)

// push stores a terminal's records. The request is read and decoded whole
// first: a body too large (413) or malformed (400), or for another
// terminal (403), stores nothing. Then each record is checked on its own:
// the invalid ones are answered as rejected with a reason, and the valid
// ones are stored together in one transaction and acknowledged, including
// those stored before (a resend). If storing fails the answer is 503 and
// nothing of the batch is acknowledged: the terminal sends it again.
func (s *Server) push(w http.ResponseWriter, r *http.Request, t storage.Terminal) {
	start := time.Now()
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes: send fewer records", s.maxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "read request: "+err.Error())
		return
	}
	var req wire.PushRequest
	if err := json.Unmarshal(data, &req); err != nil {
		writeError(w, http.StatusBadRequest, "malformed push: "+err.Error())
		return
	}
	if req.Terminal != t.ID {
		writeError(w, http.StatusForbidden, fmt.Sprintf("credential is for terminal %s, not %q", t.ID, req.Terminal))
		return
	}
	if len(req.Records) > wire.MaxRecords {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%d records: at most %d a push", len(req.Records), wire.MaxRecords))
		return
	}
	if _, err := pos.LookupCurrency(req.Currency); err != nil {
		writeError(w, http.StatusBadRequest, "malformed push: "+err.Error())
		return
	}
	seen := make(map[uint64]bool, len(req.Records))
	for _, rec := range req.Records {
		if seen[rec.Seq] || rec.Seq == 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("malformed push: sequence %d missing or twice", rec.Seq))
			return
		}
		seen[rec.Seq] = true
	}

	resp := wire.PushResponse{Acked: []uint64{}, Rejected: []wire.Rejection{}}
	var valid []storage.Record
	var validSeqs []uint64
	for _, rec := range req.Records {
		sr, err := record(t, req.Currency, rec)
		if err == nil {
			err = s.checkSeal(r.Context(), t, rec) // chain.go
		}
		if err != nil {
			resp.Rejected = append(resp.Rejected, wire.Rejection{Seq: rec.Seq, ID: rec.ID, Reason: err.Error()})
			continue
		}
		valid = append(valid, sr)
		validSeqs = append(validSeqs, rec.Seq)
	}
	// The chain is checked, and the records and the new chain head stored
	// (in one transaction where the storage can): when another push of
	// the terminal moved the head in between, the check runs again.
	var results []storage.PutResult
	for attempt := 1; ; attempt++ {
		known, refusal, err := s.checkChain(r.Context(), t, req.Chain)
		if err != nil {
			s.log.Error("read chain head", "terminal", t.ID, "err", err)
			writeError(w, http.StatusServiceUnavailable, "head office could not read the terminal's chain head; try again")
			return
		} else if refusal != nil {
			s.log.Warn("push refused: journal chain", "terminal", t.ID, "reason", refusal.msg)
			writeChainRefusal(w, refusal)
			return
		}
		results, resp.ChainSeq, err = s.putChained(r.Context(), t, valid, known, req.Chain)
		if errors.Is(err, storage.ErrChainMoved) && attempt < 5 {
			continue
		}
		if err != nil {
			s.log.Error("store records", "terminal", t.ID, "records", len(valid), "err", err)
			writeError(w, http.StatusServiceUnavailable, "head office could not store the records; try again")
			return
		}
		break
	}
	var stored, dup int
	for i, res := range results {
		switch res {
		case storage.Stored:
			stored++
			resp.Acked = append(resp.Acked, validSeqs[i])
		case storage.Duplicate:
			dup++
			resp.Acked = append(resp.Acked, validSeqs[i])
		default:
			resp.Rejected = append(resp.Rejected, wire.Rejection{Seq: validSeqs[i], ID: valid[i].ID,
				Reason: fmt.Sprintf("head office already holds a different %s with id %s", valid[i].Kind, valid[i].ID)})
		}
	}
	noteRejected(r, len(resp.Rejected))
	for _, rj := range resp.Rejected {
		s.log.Warn("rejected", "terminal", t.ID, "seq", rj.Seq, "id", rj.ID, "reason", rj.Reason)
	}
	s.log.Info("push", "terminal", t.ID, "store", t.Store, "records", len(req.Records), "stored", stored,
		"duplicates", dup, "rejected", len(resp.Rejected), "took", time.Since(start))
	writeJSON(w, http.StatusOK, resp)
}
