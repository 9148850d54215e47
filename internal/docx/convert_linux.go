package docx

import (
	"os/exec"
	"syscall"
)

// ownGroup puts LibreOffice in a process group of its own, which
// killGroup kills whole, and has the kernel kill it when the process
// that started it dies, even by SIGKILL.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

func killGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
