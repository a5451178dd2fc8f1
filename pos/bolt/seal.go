package bolt

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// A stored record carries a checksum, since bbolt has none on data
// pages: a flipped bit in a sale must be an error naming the record,
// never a different figure. The record's JSON is followed by a six-byte
// trailer: 0x00, 'c', and the CRC-32C of the JSON, big-endian. JSON as
// encoding/json writes it never holds a 0x00 byte, so a record written
// before checksums (plain JSON) is told apart and read as it is; a
// damaged trailer leaves bytes after the JSON, which decoding refuses.
const sealLen = 6

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errChecksum is a record whose bytes do not match its checksum.
var errChecksum = errors.New("checksum mismatch: the record is damaged")

// seal appends the checksum trailer to a record's JSON.
func seal(data []byte) []byte {
	out := make([]byte, len(data), len(data)+sealLen)
	copy(out, data)
	out = append(out, 0, 'c')
	return binary.BigEndian.AppendUint32(out, crc32.Checksum(data, castagnoli))
}

// unseal returns a record's JSON, checked against its checksum if it has
// one (a record from before checksums is returned as it is).
func unseal(v []byte) ([]byte, error) {
	n := len(v) - sealLen
	if n < 0 || v[n] != 0 || v[n+1] != 'c' {
		return v, nil
	}
	if crc32.Checksum(v[:n], castagnoli) != binary.BigEndian.Uint32(v[n+2:]) {
		return nil, errChecksum
	}
	return v[:n], nil
}
