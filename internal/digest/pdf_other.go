//go:build !linux

package digest

import "os/exec"

// dieWithParent does nothing: only Linux has a parent-death signal. A
// browser outlives a killed print there until its own timeout.
func dieWithParent(*exec.Cmd) {}
