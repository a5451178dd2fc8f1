package client

import (
	"encoding/json"
	"fmt"

	"github.com/tillpos/till/pos"
	"github.com/tillpos/till/pos/journal"
	"github.com/tillpos/till/sync/wire"
)

// ChainStore is a Store with a journal (see package pos/journal):
// *bolt.Store is one. Its pushes carry the journal's head and the entry
// head office last said it held, and head office refuses them when the
// journal does not extend what it saw.
type ChainStore interface {
	JournalHead() (journal.Entry, error)
	JournalEntry(seq uint64) (journal.Entry, error)
	HQChainSeq() (uint64, error)
	SetHQChainSeq(uint64) error
}

// chainProof is what this push says of the journal; nil for a store
// without one, or a journal with no entries yet.
func (c *conn) chainProof(st Store) (*wire.ChainProof, error) {
	cs, ok := st.(ChainStore)
	if !ok {
		return nil, nil
	}
	h, err := cs.JournalHead()
	if err != nil || h.Seq == 0 {
		return nil, err
	}
	p := &wire.ChainProof{Head: h}
	seq, err := cs.HQChainSeq()
	if err != nil || seq == 0 {
		return p, err
	}
	return c.chainAt(st, p, seq)
}

// chainAt sets the proof's At to the journal's entry at seq. A journal
// without that entry (restored from a copy older than what head office
// saw) sends its head alone, and head office says why it refuses it.
func (c *conn) chainAt(st Store, p *wire.ChainProof, seq uint64) (*wire.ChainProof, error) {
	cs := st.(ChainStore)
	if seq > p.Head.Seq {
		c.cfg.Logger.Warn("sync: head office has seen more of this terminal's journal than the database holds", "head_office", seq, "here", p.Head.Seq)
		q := *p
		q.At = &p.Head
		return &q, nil
	}
	e, err := cs.JournalEntry(seq)
	if err != nil {
		return nil, fmt.Errorf("journal entry %d for head office: %w", seq, err)
	}
	q := *p
	q.At = &e
	return &q, nil
}

// chainAccepted records the journal sequence head office now holds.
func (c *conn) chainAccepted(st Store, p *wire.ChainProof, seq uint64) error {
	cs, ok := st.(ChainStore)
	if !ok || p == nil || seq == 0 {
		return nil
	}
	if err := cs.SetHQChainSeq(seq); err != nil {
		return fmt.Errorf("record head office's chain head: %w", err)
	}
	return nil
}

// encodeChain is encode with the journal's proof.
func (c *conn) encodeChain(currency string, batch []pos.OutboxEntry, p *wire.ChainProof) []byte {
	b := c.encode(currency, batch)
	if p == nil {
		return b
	}
	data, err := json.Marshal(p)
	if err != nil {
		return b // an Entry always encodes
	}
	// encode ends with "]}": put the proof before the closing brace.
	out := append(b[:len(b)-1:len(b)-1], `,"chain":`...)
	out = append(out, data...)
	return append(out, '}')
}
