package preview

import (
	"testing"

	"bulletin/internal/diag"
)

func TestPrivatePaths(t *testing.T) {
	p := Private{
		{"/home/wang/sites/qinghai", &diag.Message{Format: "."}},
		{"/tmp/bulletin-serve-123", &diag.Message{Format: "(preview)"}},
		{"/home/wang/theme", &diag.Message{Format: "(theme)"}},
		{"/home/wang", &diag.Message{Format: "~"}},
		{"/tmp", &diag.Message{Format: "(temp)"}},
	}.sorted()
	for _, tc := range []struct{ msg, want string }{
		{"rendering /bulletins/a/: template: base.html:3: boom", "rendering /bulletins/a/: template: base.html:3: boom"},
		{"open /home/wang/sites/qinghai/content/a.md: permission denied", "open content/a.md: permission denied"},
		{"rename /tmp/bulletin-serve-123/.site.next /tmp/bulletin-serve-123/site: busy", "rename (preview)/.site.next (preview)/site: busy"},
		{"read /home/wang/theme/templates/x.html: is a directory", "read (theme)/templates/x.html: is a directory"},
		{"lock /home/wang/other/index: in use", "lock ~/other/index: in use"},
		{"write /tmp/x: no space left on device", "write (temp)/x: no space left on device"},
		{"at /home/wang/sites/qinghai", "at ."},
		{"/home/wangwei/a", "/home/wangwei/a"}, // another folder that starts alike
	} {
		if got := p.Replace(nil, tc.msg); got != tc.want {
			t.Errorf("Replace(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}
