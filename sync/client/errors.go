package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
)

// Errors a sync can end with that retrying will not cure.
var (
	// ErrUnauthorized: head office does not accept this terminal's
	// credential (wrong, or the terminal was revoked): enrol it again.
	ErrUnauthorized = errors.New("head office refused this terminal's credential (revoked or wrong)")
	// ErrRefused: head office refused a request as malformed or not this
	// terminal's to make; a bug or a misconfiguration, not the network.
	ErrRefused = errors.New("head office refused the request")
	// ErrNoAnswer: head office answered nothing for Config.SyncTimeout
	// (down, unreachable, or accepting connections and never answering).
	ErrNoAnswer = errors.New("head office did not answer")
)

// Problem is what a failed sync means for the people at the counter. A
// screen or the command line says it in words (Problem.Explain) and logs
// the error itself.
type Problem int

const (
	ProblemNone Problem = iota
	// ProblemUnreachable: the network, a timeout, head office down or
	// overloaded. The next sync may well work.
	ProblemUnreachable
	// ProblemCredential: head office answered and refused the terminal's
	// credential, because it was revoked or is wrong. Retrying never helps.
	ProblemCredential
	// ProblemCertificate: head office's TLS certificate is not the one
	// the terminal is configured to trust.
	ProblemCertificate
	// ProblemRefused: head office answered and refused the request.
	ProblemRefused
	// ProblemCancelled: the sync was stopped (Till closing).
	ProblemCancelled
	// ProblemOther: anything else, e.g. the terminal's own store failing
	// or sync not being set up.
	ProblemOther
)

// Diagnose says what kind of problem err (from Sync, or its Result's
// PushErr or PullErr) is. When push and pull failed differently the more
// specific answer wins: a refused credential is never "unreachable".
func Diagnose(err error) Problem {
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case err == nil:
		return ProblemNone
	case errors.Is(err, ErrUnauthorized):
		return ProblemCredential
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &badHost), errors.As(err, &invalid):
		return ProblemCertificate
	case errors.Is(err, ErrRefused):
		return ProblemRefused
	case errors.Is(err, context.Canceled):
		return ProblemCancelled
	case errors.Is(err, ErrTransport), errors.Is(err, ErrNoAnswer), errors.Is(err, context.DeadlineExceeded), transient(err):
		return ProblemUnreachable
	}
	return ProblemOther
}

// DiagnoseRecorded says what kind of problem the failure a sync recorded
// was, from its text (pos.SyncStatus.LastError, which outlives a
// restart), so the status line can still name a refused credential
// after Till starts again.
func DiagnoseRecorded(failure string) Problem {
	switch {
	case failure == "":
		return ProblemNone
	case strings.Contains(failure, ErrUnauthorized.Error()):
		return ProblemCredential
	case strings.Contains(failure, certMessage):
		return ProblemCertificate
	case strings.Contains(failure, ErrRefused.Error()):
		return ProblemRefused
	case strings.Contains(failure, ErrTransport.Error()), strings.Contains(failure, context.DeadlineExceeded.Error()), strings.Contains(failure, ErrNoAnswer.Error()),
		strings.Contains(failure, "head office answered 5"), strings.Contains(failure, "head office answered 429"):
		return ProblemUnreachable
	case strings.Contains(failure, context.Canceled.Error()):
		return ProblemCancelled
	}
	return ProblemOther
}

// certMessage is how http.go words an untrusted certificate.
const certMessage = "TLS certificate is not trusted"

// Explain is what to tell the cashier about a problem, in one sentence.
// It names no secret and no address: details belong in the log.
func (p Problem) Explain() string {
	switch p {
	case ProblemNone:
		return "Head office has everything."
	case ProblemUnreachable:
		return "Head office cannot be reached; the sales are safe here and will be sent later."
	case ProblemCredential:
		return "Head office refused this terminal's credential (revoked or wrong): ask head office to enrol it again. The sales are safe here."
	case ProblemCertificate:
		return "Head office's certificate is not the one this terminal trusts: check ca_file in [hq]. The sales are safe here."
	case ProblemRefused:
		return "Head office refused what this terminal sent: call support. The sales are safe here."
	case ProblemCancelled:
		return "Sync was stopped; the sales are safe here and will be sent later."
	}
	return "Sync did not finish (see the log); the sales are safe here and will be sent later."
}

// Explain is Diagnose(err).Explain().
func Explain(err error) string { return Diagnose(err).Explain() }
