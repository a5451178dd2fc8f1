package emvqr

import "strings"

var crcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

// CRC16 returns the CRC-16/CCITT-FALSE checksum of data (polynomial 0x1021,
// initial value 0xFFFF, no reflection, no final XOR), the checksum used by
// EMV QR codes. CRC16([]byte("123456789")) is 0x29B1.
func CRC16(data []byte) uint16 { return crc16(data) }

func crc16[T string | []byte](data T) uint16 {
	c := uint16(0xFFFF)
	for i := 0; i < len(data); i++ {
		c = c<<8 ^ crcTable[byte(c>>8)^data[i]]
	}
	return c
}

// Checksum returns the value of the CRC data object for a payload: s is the
// payload up to and including the CRC's ID and length ("6304"), and the
// result is four upper-case hexadecimal digits.
func Checksum(s string) string {
	c := crc16(s)
	const hex = "0123456789ABCDEF"
	return string([]byte{hex[c>>12], hex[c>>8&0xF], hex[c>>4&0xF], hex[c&0xF]})
}

// crcCase classifies the hex digits of a CRC value: -1 if its letters are all
// lower-case, 0 if it mixes cases, +1 otherwise (upper-case or digits only).
func crcCase(v string) int {
	upper := strings.ToUpper(v) == v
	lower := strings.ToLower(v) == v
	switch {
	case upper:
		return 1
	case lower:
		return -1
	}
	return 0 // mixed
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
