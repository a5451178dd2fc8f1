package pay

import (
	"errors"
	"fmt"
)

// The kinds of failure a caller must tell apart. Match them with
// errors.Is; details are in *Error.
var (
	// ErrUnreachable: no answer, a timeout, or a server-side error. The
	// outcome is unknown, not refused: the cashier can fall back to cash
	// or offline EMV QR at once, and the same order may be retried or
	// cancelled later.
	ErrUnreachable = errors.New("payment provider unreachable")
	// ErrRefused: the provider answered and said no (bad signature,
	// invalid request, order closed). Retrying the same request won't help.
	ErrRefused = errors.New("payment provider refused the request")
	// ErrPaid: the order is already paid, so it cannot be created again
	// or cancelled. Query it and complete the sale.
	ErrPaid = errors.New("order already paid")
	// ErrVerify: a response failed signature or consistency checks. It
	// may be forged or damaged: trust nothing in it, log it loudly.
	ErrVerify = errors.New("provider response failed verification")
	// ErrMismatch: the provider reports a payment for a different amount
	// than the order's. Money moved: the sale needs a person to look.
	ErrMismatch = errors.New("provider reports a different amount")
)

// Error is a provider's answer that is not a success.
type Error struct {
	Provider string // "alipay", "wechat"
	Op       string // "create", "query", "cancel"
	OrderNo  string
	Code     string // the provider's code, e.g. "ACQ.TRADE_HAS_CLOSE", "SIGN_ERROR"
	Message  string // the provider's message, for the log
	Kind     error  // one of the Err values above
	Err      error  // the underlying cause, if any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s %s: %v", e.Provider, e.Op, e.OrderNo, e.Kind)
	if e.Code != "" {
		s += ": " + e.Code
	}
	if e.Message != "" {
		s += " (" + e.Message + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap lets errors.Is match both the kind and the cause.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Kind, e.Err}
	}
	return []error{e.Kind}
}

// Words says what an error from a provider means for the cashier, in a
// sentence for the screen (details belong in the log).
func Words(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrMismatch):
		return "The provider reports a payment for a different amount. Do not hand over the goods or take other money; call the manager to check the merchant account."
	case errors.Is(err, ErrVerify):
		return "An answer from the provider failed its security check, so it was ignored. The payment is unknown: keep waiting or check the merchant account; do not take other money yet."
	case errors.Is(err, ErrPaid):
		return "The customer has paid this order."
	case errors.Is(err, ErrUnreachable):
		return "The payment provider cannot be reached or did not confirm. The outcome is unknown; Till keeps asking. Do not take other money until it says closed or paid."
	case errors.Is(err, ErrRefused):
		return "The payment provider refused the request."
	}
	return "Something went wrong with the payment; Till keeps the payment as it was."
}
