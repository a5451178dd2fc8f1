package tui

// The counter speaks the shop's language through the message catalog
// (package i18n). Every string the cashier reads is a key there, written
// in English where it is used: c.t("Scan or type"), c.t("%d goods", n);
// a string kept in a table and translated later is marked i18n.N("...").
// i18n's test walks this package for those calls and fails when a key is
// missing from a language. Log lines stay English.

// t translates key into the counter's language and, given arguments,
// formats it as fmt.Sprintf does.
func (c *common) t(key string, args ...any) string { return c.p.T(key, args...) }
