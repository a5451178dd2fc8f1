// Package emvqr encodes and decodes payment QR code payloads that follow the
// EMV QR Code Specification for Payment Systems, Merchant-Presented Mode
// (EMV QRCPS MPM, version 1.1), as used by Pix, PromptPay, SGQR/PayNow, QRIS,
// VietQR, DuitNow, Bharat QR, QR Ph and many other national schemes.
//
// # Format
//
// A payload is a sequence of data objects, each written as a two-digit ID, a
// two-digit length and the value. Some data objects are templates whose value
// is itself a sequence of data objects. The last data object is always the
// CRC (ID "63", length "04"): a CRC-16/CCITT-FALSE checksum (polynomial 0x1021,
// initial value 0xFFFF, no reflection, no final XOR) over the whole payload up
// to and including "6304", written as four hexadecimal digits.
//
// # Lengths and character sets
//
// Lengths count characters, not bytes, as the specification requires: the
// Merchant Information Language Template (ID "64") may carry UTF-8 text such as
// "最佳运输", whose length is 4. Both the decoder and the encoder count Unicode
// code points (runes) of the UTF-8 string; for the printable-ASCII values used
// everywhere else this is the same as the number of bytes. The CRC is computed
// over the UTF-8 bytes of the payload, which is what the EMVCo specification's
// own example (CRC "A13A") requires. Byte offsets reported in errors are byte
// offsets into the payload string.
//
// # Decoding and encoding
//
// [Parse] checks the syntax (IDs, lengths, UTF-8, templates 62 and 64, no
// duplicate IDs) and the CRC, but not the semantic rules; it accepts the
// scheme-specific payloads that leave out EMV-mandatory data objects (Thai
// PromptPay transfers carry no merchant name, for instance). [Decode] is
// [Parse] followed by [Payload.Validate], which enforces the EMV rules:
// mandatory data objects, formats, length limits and character sets.
//
// A decoded [Payload] remembers the order of its data objects, so that
// [Payload.Encode] reproduces any payload accepted by [Parse] byte for byte,
// including non-canonical orderings (for example "62" before "58") and a
// lower-case CRC. Data objects added after decoding, and all data objects of a
// payload built from scratch, are placed in ascending ID order; the CRC is
// always last and always recomputed.
//
// [BuildDynamic] builds the dynamic payload for one sale from a [Merchant]
// configuration and a [Sale], with the amount given in integer minor units.
// Amounts are strings in the payload and integers in the API: no floating
// point is used anywhere (see [FormatAmount] and [ParseAmount]).
package emvqr
