//go:build !unix

package config

// lockFile is a no-op where flock does not exist: edits are serialized
// within one process only.
func lockFile(string) (func(), error) { return func() {}, nil }
