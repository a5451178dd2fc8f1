package wire

import "github.com/tillpos/till/pos/journal"

// ChainProof is what a push says of the terminal's journal (see package
// pos/journal): its head entry now, and the entry at the sequence head
// office said it held after the previous push (At, nil on the first).
// Head office refuses a push whose At is not the entry it holds: the
// terminal's history was rewritten or restored from an old copy.
type ChainProof struct {
	Head journal.Entry  `json:"head"`
	At   *journal.Entry `json:"at,omitempty"`
}

// HeaderChainSeq, on a 409 answer to a push, is the journal sequence head
// office holds for the terminal: the terminal sends again with its entry
// at that sequence as ChainProof.At.
const HeaderChainSeq = "Till-Chain-Seq"
