package emvqr_test

import (
	"errors"
	"fmt"

	"github.com/tillpos/till/pos/emvqr"
)

func ExampleBuildDynamic() {
	merchant := emvqr.Merchant{
		AccountID:     "26",
		GUID:          "br.gov.bcb.pix",
		AccountFields: []emvqr.Field{{ID: "01", Value: "123e4567-e12b-12d1-a456-426655440000"}},
		Name:          "Fulano de Tal",
		City:          "BRASILIA",
		Country:       "BR",
		MCC:           "0000",
		Currency:      "986",
	}
	s, err := emvqr.BuildDynamic(merchant, emvqr.Sale{Amount: 1250, Exponent: 2, ReferenceLabel: "TILL0001"})
	if err != nil {
		panic(err)
	}
	fmt.Println(s)
	// Output:
	// 00020101021226580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000520400005303986540512.505802BR5913Fulano de Tal6008BRASILIA62120508TILL000163042EC3
}

func ExampleDecode() {
	p, err := emvqr.Decode("00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.MerchantName, p.MerchantCity, p.Currency, p.MerchantAccounts[0].GUID())

	_, err = emvqr.Decode("00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3E")
	fmt.Println(errors.Is(err, emvqr.ErrCRC))
	fmt.Println(err)
	// Output:
	// Fulano de Tal BRASILIA 986 br.gov.bcb.pix
	// true
	// emvqr: field 63 (crc) at offset 129: checksum mismatch: expected 1D3D, found 1D3E
}
