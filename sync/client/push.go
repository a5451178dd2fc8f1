package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/sync/wire"
)

// push sends the outbox in sequence order, a batch at a time. Acknowledged
// entries are removed from the outbox; entries head office refuses for
// good are set aside with its reason and the rest carry on. It reads only
// the outbox, so its cost grows with the unsynced work, not the history.
func (c *conn) push(ctx context.Context, st Store) (pushed, rejected int, err error) {
	status, err := st.SyncStatus()
	if err != nil {
		return 0, 0, err
	}
	total, done := status.Unsynced, 0
	currency := st.Identity().Currency
	size := c.cfg.BatchSize
	var after uint64
	chain, err := c.chainProof(st)
	if err != nil {
		return 0, 0, err
	}
	setAside := func(seq uint64, reason string) error {
		if err := st.SetAside(seq, reason, c.cfg.Now()); err != nil {
			return fmt.Errorf("set aside %d: %w", seq, err)
		}
		rejected++
		done++
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return pushed, rejected, err
		}
		batch, err := st.Pending(after, size)
		if err != nil {
			return pushed, rejected, fmt.Errorf("read outbox: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		batch, bad := c.fit(batch)
		for _, e := range bad {
			if err := setAside(e.env.Seq, e.reason); err != nil {
				return pushed, rejected, err
			}
		}
		if len(batch) == 0 {
			after = bad[len(bad)-1].env.Seq
			continue
		}
		var resp wire.PushResponse
		err = c.do(ctx, http.MethodPost, wire.PathPush, c.encodeChain(currency, batch, chain), &resp)
		var se *statusError
		if errors.As(err, &se) && se.status == http.StatusConflict && se.chainSeq > 0 && chain != nil &&
			(chain.At == nil || chain.At.Seq != se.chainSeq) {
			// Head office holds another entry of the journal than the
			// terminal thought: send that entry and try again.
			if chain, err = c.chainAt(st, chain, se.chainSeq); err != nil {
				return pushed, rejected, err
			}
			continue
		}
		if errors.As(err, &se) && se.status == http.StatusRequestEntityTooLarge {
			if len(batch) > 1 {
				size = max(1, len(batch)/2)
				c.cfg.Logger.Info("sync: head office wants smaller batches", "records", size)
				continue
			}
			// One record alone is too large for head office.
			if err := setAside(batch[0].Seq, "too large for head office: "+se.msg); err != nil {
				return pushed, rejected, err
			}
			after = batch[0].Seq
			continue
		}
		if err != nil {
			return pushed, rejected, err
		}
		acked, rej, err := check(batch, resp)
		if err != nil {
			return pushed, rejected, err
		}
		if err := c.chainAccepted(st, chain, resp.ChainSeq); err != nil {
			return pushed, rejected, err
		}
		if err := st.Ack(acked...); err != nil {
			return pushed, rejected, fmt.Errorf("acknowledge: %w", err)
		}
		pushed += len(acked)
		done += len(acked)
		for _, r := range rej {
			c.cfg.Logger.Warn("sync: head office refused a record", "seq", r.Seq, "id", r.ID, "reason", r.Reason)
			if err := setAside(r.Seq, r.Reason); err != nil {
				return pushed, rejected, err
			}
		}
		after = batch[len(batch)-1].Seq
		c.cfg.Progress(done, max(total, done))
	}
	return pushed, rejected, nil
}

type unsendable struct {
	env    pos.OutboxEntry
	reason string
}

// fit cuts a batch to BatchBytes of bodies and takes out entries that can
// never be sent: an ID head office refuses (pos.CheckRecordID, the rule it
// applies), an empty body, or one too large alone. (Bodies are valid
// JSON: the store decoded each envelope, body included, to list it.)
func (c *conn) fit(batch []pos.OutboxEntry) (ok []pos.OutboxEntry, bad []unsendable) {
	size := 0
	for _, e := range batch {
		if err := pos.CheckRecordID(e.ID); err != nil {
			bad = append(bad, unsendable{e, err.Error()})
			continue
		}
		switch {
		case len(e.Body) == 0:
			bad = append(bad, unsendable{e, "outbox entry has no body"})
			continue
		case len(e.Body) > wire.MaxBody-1024:
			bad = append(bad, unsendable{e, fmt.Sprintf("record of %d bytes is over head office's limit", len(e.Body))})
			continue
		}
		if size+len(e.Body) > c.cfg.BatchBytes && len(ok) > 0 {
			break // the rest waits for the next batch
		}
		size += len(e.Body)
		ok = append(ok, e)
	}
	return ok, bad
}

// encode writes the push request by hand: the bodies go as they are
// stored, with no decoding and re-encoding of every sale.
func (c *conn) encode(currency string, batch []pos.OutboxEntry) []byte {
	n := 64
	for _, e := range batch {
		n += len(e.Body) + len(e.ID) + 64
	}
	buf := bytes.NewBuffer(make([]byte, 0, n))
	buf.WriteString(`{"terminal":`)
	writeString(buf, c.terminal)
	buf.WriteString(`,"currency":`)
	writeString(buf, currency)
	buf.WriteString(`,"records":[`)
	for i, e := range batch {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(`{"seq":`)
		buf.WriteString(strconv.FormatUint(e.Seq, 10))
		buf.WriteString(`,"kind":`)
		writeString(buf, e.Kind)
		buf.WriteString(`,"id":`)
		writeString(buf, e.ID)
		buf.WriteString(`,"body":`)
		buf.Write(e.Body)
		buf.WriteByte('}')
	}
	buf.WriteString("]}")
	return buf.Bytes()
}

func writeString(buf *bytes.Buffer, s string) {
	data, _ := json.Marshal(s) // a string always encodes
	buf.Write(data)
}

// check matches an answer to the batch: every record must be answered
// once, as acknowledged or rejected, and nothing else.
func check(batch []pos.OutboxEntry, resp wire.PushResponse) ([]uint64, []wire.Rejection, error) {
	want := make(map[uint64]bool, len(batch))
	for _, e := range batch {
		want[e.Seq] = true
	}
	answered := make(map[uint64]bool, len(batch))
	mark := func(seq uint64) error {
		if !want[seq] || answered[seq] {
			return fmt.Errorf("head office answered for record %d, which was not sent or was answered twice", seq)
		}
		answered[seq] = true
		return nil
	}
	for _, s := range resp.Acked {
		if err := mark(s); err != nil {
			return nil, nil, err
		}
	}
	for _, r := range resp.Rejected {
		if err := mark(r.Seq); err != nil {
			return nil, nil, err
		}
	}
	if len(answered) != len(batch) {
		return nil, nil, fmt.Errorf("head office answered for %d of %d records", len(answered), len(batch))
	}
	return resp.Acked, resp.Rejected, nil
}
