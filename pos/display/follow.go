package display

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"time"
)

// Update is what a follower learns: a new snapshot, or that it lost or
// has not yet found the counter.
type Update struct {
	Snapshot  Snapshot
	Connected bool
	Err       error // why it is not connected
}

// Follow reads the counter's snapshots from the socket at path until ctx
// ends, connecting again every retry when the counter is not there (not
// started yet, or restarted). Updates are delivered latest-first: a
// reader that is slow only misses intermediate states.
func Follow(ctx context.Context, path string, retry time.Duration) <-chan Update {
	out := make(chan Update, 1)
	go func() {
		defer close(out)
		for ctx.Err() == nil {
			err := followOnce(ctx, path, out)
			if ctx.Err() != nil {
				return
			}
			replace(out, Update{Err: err})
			select {
			case <-ctx.Done():
				return
			case <-time.After(retry):
			}
		}
	}()
	return out
}

func followOnce(ctx context.Context, path string, out chan Update) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	r := bufio.NewReaderSize(c, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return err
		}
		var s Snapshot
		if err := json.Unmarshal(line, &s); err != nil {
			return err
		}
		replace(out, Update{Snapshot: s, Connected: true})
	}
}
