//go:build !unix

package docx

import "os/exec"

// ownGroup does nothing where there are no process groups.
func ownGroup(*exec.Cmd) {}

// killGroup kills LibreOffice itself; its helpers end when it does.
func killGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }
