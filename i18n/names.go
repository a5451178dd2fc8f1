package i18n

import "unicode"

// Names orders a product's two names for a reader of lang: a Chinese
// reader gets the name in Han characters first (the demo shop's goods
// are named in English with a Chinese alt name), anyone else the main
// name first. second is "" when there is only one name.
func Names(lang Lang, name, alt string) (first, second string) {
	if alt == "" || alt == name {
		return name, ""
	}
	if lang == Chinese && hasHan(alt) && !hasHan(name) {
		return alt, name
	}
	return name, alt
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
