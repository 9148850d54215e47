package digest

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the browser when the process that
// started it dies, even by SIGKILL, which no deferred cleanup survives.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
