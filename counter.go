package main

import (
	"fmt"
)

// runCounter opens the counter screen.
func runCounter(e *env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected %q (see till --help)", errUsage, args[0])
	}
	if e.demoLoad > 0 {
		fmt.Fprintf(e.stdout, "new database %s: loaded the demo shop (%d goods)\n", e.dbPath, e.demoLoad)
	}
	return fmt.Errorf("the counter screen is not built yet; use till sell")
}
