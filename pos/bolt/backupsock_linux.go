package bolt

import (
	"net"
	"syscall"
)

// peerKnown: Linux says who the peer of a unix socket is.
const peerKnown = true

// peerUID is the user of the peer of a unix connection, from
// SO_PEERCRED; ok is false when the system does not say.
func peerUID(c net.Conn) (uid uint32, ok bool) {
	uc, isUnix := c.(*net.UnixConn)
	if !isUnix {
		return 0, false
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return 0, false
	}
	var cred *syscall.Ucred
	var cerr error
	if err := raw.Control(func(fd uintptr) {
		cred, cerr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil || cerr != nil {
		return 0, false
	}
	return cred.Uid, true
}
