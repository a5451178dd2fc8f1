package i18n

import (
	"strconv"
	"strings"
)

// verbs maps each argument a format uses (from 1) to its verb, "%[2]s"
// and "%s" alike: a translation must use the same arguments with the same
// verbs as its key, in any order. A '*' width or precision uses an
// argument too and is recorded as "*".
func verbs(format string) map[int]string {
	out := map[int]string{}
	arg := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		index := func() {
			if i < len(format) && format[i] == '[' {
				if j := strings.IndexByte(format[i:], ']'); j > 0 {
					if n, err := strconv.Atoi(format[i+1 : i+j]); err == nil {
						arg = n
					}
					i += j + 1
				}
			}
		}
		num := func() {
			at := i
			index()
			if i < len(format) && format[i] == '*' {
				out[arg] = "*"
				arg++
				i++
				return
			}
			digits := i
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
			if i > digits && digits > at {
				// "%[2]06d": fmt takes an index before a width only for
				// a '*'; it prints %!d(BADINDEX). Flags and width go
				// first: "%06[2]d".
				out[0] = "BADINDEX"
			}
		}
		num()
		if i < len(format) && format[i] == '.' {
			i++
			num()
		}
		index()
		if i < len(format) {
			out[arg] = string(format[i])
			arg++
		}
	}
	return out
}

// flagName is the `name` a flag's usage string gives its value, as the
// flag package reads it; "" for none.
func flagName(usage string) string {
	_, after, ok := strings.Cut(usage, "`")
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(after, "`")
	if !ok {
		return ""
	}
	return name
}
