//go:build !linux

package bolt

import "net"

// peerKnown: the system does not say who the peer is.
const peerKnown = false

// peerUID does not know the peer where the system does not say: the
// socket's mode (0600) keeps other users out.
func peerUID(net.Conn) (uint32, bool) { return 0, false }
