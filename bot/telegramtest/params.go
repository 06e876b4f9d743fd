package telegramtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// apiError is a failed call: the HTTP status equals Code, as in Telegram.
type apiError struct {
	Code        int
	Description string
	Params      *responseParameters
}

func (e *apiError) envelope() envelope {
	return envelope{ErrorCode: e.Code, Description: e.Description, Parameters: e.Params}
}

var (
	errNotFound     = &apiError{Code: http.StatusNotFound, Description: "Not Found"}
	errUnauthorized = &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"}
)

func badRequest(format string, args ...any) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func forbidden(what string) *apiError {
	return &apiError{Code: http.StatusForbidden, Description: "Forbidden: " + what}
}

func conflict(what string) *apiError {
	return &apiError{Code: http.StatusConflict, Description: "Conflict: " + what}
}

func tooManyRequests(retryAfter int) *apiError {
	return &apiError{
		Code:        http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		Params:      &responseParameters{RetryAfter: retryAfter},
	}
}

func writeEnvelope(w http.ResponseWriter, e envelope) {
	status := http.StatusOK
	if !e.OK && e.ErrorCode != 0 {
		status = e.ErrorCode
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e)
}

// params are a request's parameters; JSON-typed ones stay as JSON text, the
// way the client library sends them in a form.
type params map[string]string

const maxBody = 1 << 20

// readParams accepts the encodings Telegram accepts: query string,
// application/x-www-form-urlencoded, multipart/form-data and JSON.
func readParams(r *http.Request) (params, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	p := params{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, fmt.Errorf("can't read request body: %w", err)
		}
		if len(body) > 0 {
			if err := json.Unmarshal(body, &m); err != nil {
				return nil, errors.New("can't parse JSON encoded request")
			}
		}
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				p[k] = str
			} else {
				p[k] = string(v)
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return nil, errors.New("can't parse multipart request")
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, errors.New("can't parse request")
		}
	}
	for k, v := range r.Form {
		if len(v) > 0 {
			if _, ok := p[k]; !ok {
				p[k] = v[0]
			}
		}
	}
	return p, nil
}

// has reports a non-empty value.
func (p params) has(name string) bool { return p[name] != "" }

// int64 parses an integer parameter; absent gives 0.
func (p params) int64(name string) (int64, *apiError) {
	v := strings.TrimSpace(p[name])
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("invalid %s specified", name)
	}
	return n, nil
}

func (p params) bool(name string) bool {
	switch strings.ToLower(p[name]) {
	case "true", "1":
		return true
	}
	return false
}

// json decodes a JSON-typed parameter; absent, empty and null give false.
func (p params) json(name string, v any) (bool, error) {
	raw := strings.TrimSpace(p[name])
	if raw == "" || raw == "null" {
		return false, nil
	}
	return true, json.Unmarshal([]byte(raw), v)
}

func requiredString(p params, name string) (string, *apiError) {
	v := p[name]
	if v == "" {
		return "", badRequest("parameter \"%s\" is required", name)
	}
	return v, nil
}
