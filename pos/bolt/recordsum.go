package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Every stored record carries a checksum, since bbolt has none on data
// pages: a flipped bit in a sale, a product or a Z report must be an
// error naming the record, never a different figure.
//
// A checksummed record is a 0x00 byte, the CRC-32C of the JSON
// (big-endian), then the JSON itself. A record written before checksums
// is plain JSON as json.Marshal wrote it, which starts with '{', '[', a
// quote, a digit or a letter: never 0x00, nor a byte one bit away from it
// (0x20, a space, included), so a damaged marker is refused too rather
// than read as an old record.
//
// The journal's digest covers the JSON, not the checksum: it proves the
// record head office receives (the JSON), and a record from before
// checksums has the same digest it always had.
const (
	sumMark = 0x00
	sumLen  = 5
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errChecksum is a record whose bytes do not match its checksum.
var errChecksum = errors.New("checksum mismatch: the stored record is damaged")

// errNotRecord is a value whose checksum marker is damaged.
var errNotRecord = errors.New("checksum mismatch: the stored record is damaged (its checksum marker)")

// sealRecord returns a record's JSON with its checksum before it.
func sealRecord(data []byte) []byte {
	out := make([]byte, sumLen, sumLen+len(data))
	out[0] = sumMark
	binary.BigEndian.PutUint32(out[1:], crc32.Checksum(data, castagnoli))
	return append(out, data...)
}

// openRecord returns a stored record's JSON, checked against its
// checksum; a record from before checksums is returned as it is. The
// result shares v's memory.
func openRecord(v []byte) ([]byte, error) {
	if len(v) == 0 {
		return v, nil // decoding says what is wrong
	}
	switch v[0] {
	case sumMark:
		if len(v) < sumLen || crc32.Checksum(v[sumLen:], castagnoli) != binary.BigEndian.Uint32(v[1:sumLen]) {
			return nil, errChecksum
		}
		return v[sumLen:], nil
	case 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80:
		return nil, errNotRecord // the marker with a bit flipped (JSON as stored never starts with a space)
	}
	return v, nil
}

// openNamed is openRecord with an error naming the record.
func openNamed(what string, k, v []byte) ([]byte, error) {
	data, err := openRecord(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrCorrupt, what, keyString(k), err)
	}
	return data, nil
}
