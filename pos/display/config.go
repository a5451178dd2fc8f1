package display

import (
	"context"
	"log/slog"
)

// Config is the [display] section of the config file.
type Config struct {
	// Off turns the customer display socket off.
	Off bool `toml:"off"`
	// Socket overrides the socket path (default display.sock beside the
	// database).
	Socket string `toml:"socket"`
	// VFD is a pole display driven by the counter itself (Serial empty:
	// none).
	VFD VFDConfig `toml:"vfd"`
}

// Start publishes for the counter whose database is dbPath: the socket
// for `till display`, and the pole display if one is configured. A
// failure to listen is returned, for the log; the counter sells on
// without a display (a nil *Publisher ignores Publish and Close).
// Closing the publisher, or ending ctx, stops the pole display.
func Start(ctx context.Context, dbPath string, c Config, log *slog.Logger) (*Publisher, error) {
	if c.Off {
		return nil, nil
	}
	path := c.Socket
	if path == "" {
		path = SocketPath(dbPath)
	}
	p, err := Listen(path)
	if err != nil {
		return nil, err
	}
	if log != nil {
		p.Log = log
	}
	if c.VFD.Serial != "" {
		snaps, cancel := p.Subscribe()
		go func() {
			<-ctx.Done()
			cancel()
		}()
		go RunVFD(ctx, c.VFD, snaps, p.Log)
	}
	return p, nil
}
