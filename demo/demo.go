// Package demo holds the demo shop a brand-new Till starts with, so a
// newcomer can sell at once.
package demo

import _ "embed"

// Catalog is the demo shop's goods in the goods CSV format.
//
//go:embed catalog.csv
var Catalog []byte
