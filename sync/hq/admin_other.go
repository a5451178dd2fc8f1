//go:build !linux

package hq

import "net"

// sameUser relies on the socket's mode (0600) where the system does not
// say who the peer is.
func sameUser(net.Conn) bool { return true }
