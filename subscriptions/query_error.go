package subscriptions

import (
	"errors"
	"fmt"
)

// ErrorCode names what is wrong with a query, so the bot can say it in the
// chat's language. Codes are stable strings: use them as message ids.
type ErrorCode string

// Query error codes.
const (
	ErrEmpty           ErrorCode = "query_empty"            // nothing to search for
	ErrUnbalancedQuote ErrorCode = "query_unbalanced_quote" // a quote opened and never closed
	ErrUnbalancedParen ErrorCode = "query_unbalanced_paren" // a parenthesis without its pair
	ErrOnlyExclusions  ErrorCode = "query_only_exclusions"  // -Trump alone, or NATO OR -Trump
	ErrTooLong         ErrorCode = "query_too_long"         // more characters than Limits.MaxLen
	ErrTooManyTerms    ErrorCode = "query_too_many_terms"   // more words than Limits.MaxTerms
	ErrPrefixTooShort  ErrorCode = "query_prefix_too_short" // Ук* would match too much
	ErrTooDeep         ErrorCode = "query_too_deep"         // parentheses nested too deep
)

// QueryError is a query the parser refused. Pos is the character (rune)
// offset in the query where the problem was noticed.
type QueryError struct {
	Code ErrorCode
	Pos  int
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("subscriptions: %s at character %d", e.Code, e.Pos)
}

// Is lets errors.Is(err, ErrTooLong) work through wrapping.
func (e *QueryError) Is(target error) bool {
	var c ErrorCode
	switch t := target.(type) {
	case ErrorCode:
		c = t
	case *QueryError:
		c = t.Code
	default:
		return false
	}
	return e.Code == c
}

// Error makes a code usable as a sentinel: errors.Is(err, subscriptions.ErrEmpty).
func (c ErrorCode) Error() string { return "subscriptions: " + string(c) }

// CodeOf returns the code of a query error anywhere in err's chain, or "".
func CodeOf(err error) ErrorCode {
	var qe *QueryError
	if errors.As(err, &qe) {
		return qe.Code
	}
	return ""
}
