//go:build unix && !linux

package docx

import (
	"os/exec"
	"syscall"
)

// ownGroup puts LibreOffice in a process group of its own, which
// killGroup kills whole. Only Linux has a parent-death signal.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
