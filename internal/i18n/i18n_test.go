package i18n_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"bulletin/internal/diag"
	"bulletin/internal/i18n"
)

func TestPrinter(t *testing.T) {
	zh, err := i18n.New("zh")
	if err != nil {
		t.Fatal(err)
	}
	en := i18n.English()
	bad := diag.At("content/qinghai/a.md", 3, diag.Error, "%v %q is not a valid date: %v; use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339",
		&diag.Message{Format: "date"}, "2024-13-01", &diag.Message{Format: "month out of range"})
	notFound := &fs.PathError{Op: "open", Path: "site.yaml", Err: fs.ErrNotExist}
	for _, tc := range []struct {
		name   string
		p      *i18n.Printer
		got    func(p *i18n.Printer) string
		zh, en string
	}{
		{"problem", zh, func(p *i18n.Printer) string { return bad.Localize(p) },
			"content/qinghai/a.md:3：日期“2024-13-01”无效（月份超出范围），请写成 YYYY-MM-DD、YYYY-MM-DD HH:MM 或 RFC 3339 格式",
			`content/qinghai/a.md:3: date "2024-13-01" is not a valid date: month out of range; use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339`},
		{"problems as an error", zh, func(p *i18n.Printer) string { return p.Error(diag.Problems{bad, bad}) },
			"content/qinghai/a.md:3：日期“2024-13-01”无效（月份超出范围），请写成 YYYY-MM-DD、YYYY-MM-DD HH:MM 或 RFC 3339 格式\ncontent/qinghai/a.md:3：日期“2024-13-01”无效（月份超出范围），请写成 YYYY-MM-DD、YYYY-MM-DD HH:MM 或 RFC 3339 格式",
			bad.String() + "\n" + bad.String()},
		// Line numbers and counts are not grouped: 12345, not 12,345.
		{"plural and digits", zh, func(p *i18n.Printer) string {
			return p.Sprintf(i18n.Plural(12345, "%d error", "%d errors"), 12345)
		}, "12345 处错误", "12345 errors"},
		{"wrapped system error", zh, func(p *i18n.Printer) string {
			return p.Error(diag.Errorf("unknown language %q: use en or zh", "fr"))
		}, "未知的语言“fr”：请用 en 或 zh", `unknown language "fr": use en or zh`},
		{"file error", zh, func(p *i18n.Printer) string { return p.Error(notFound) },
			"site.yaml：文件不存在", "open site.yaml: file does not exist"},
		{"joined errors", zh, func(p *i18n.Printer) string {
			return p.Error(errors.Join(diag.Errorf("unknown language %q: use en or zh", "x"), errors.New("permission denied")))
		}, "未知的语言“x”：请用 en 或 zh\n没有权限", "unknown language \"x\": use en or zh\npermission denied"},
		{"an error fmt wrapped keeps its words", zh, func(p *i18n.Printer) string {
			return p.Error(fmt.Errorf("a: %w, b: %w", errors.New("x"), errors.New("y")))
		}, "a: x, b: y", "a: x, b: y"},
		{"list", zh, func(p *i18n.Printer) string {
			return p.Sprintf("%v", diag.Choices("吉林省民政厅", []string{"青海省民政厅", "西宁市民政局"}, "site.yaml lists"))
		}, "（site.yaml 中有 青海省民政厅、西宁市民政局）", " (site.yaml lists 青海省民政厅, 西宁市民政局)"},
		{"list of messages", zh, func(p *i18n.Printer) string {
			return p.Sprintf("%v", diag.Messages{{Format: "ranking"}, {Format: "figures of %s", Args: []any{"西宁市民政局"}}})
		}, "排名、西宁市民政局的各项数据", "ranking, figures of 西宁市民政局"},
		{"a YAML library's reason", zh, func(p *i18n.Printer) string {
			return diag.At("site.yaml", 4, diag.Error, "invalid YAML: %s", errors.New("did not find expected key")).Localize(p)
		}, "site.yaml:4：YAML 格式错误：缺少应有的键（请检查缩进是否对齐，冒号后是否有空格）", "site.yaml:4: invalid YAML: did not find expected key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.got(zh); got != tc.zh {
				t.Errorf("Chinese:\n got %q\nwant %q", got, tc.zh)
			}
			if got := tc.got(en); got != tc.en {
				t.Errorf("English:\n got %q\nwant %q", got, tc.en)
			}
		})
	}
}

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		flag, env, site, locale string
		want                    string
	}{
		{"", "", "", "", "en"},
		{"", "", "zh-CN", "en_US.UTF-8", "zh"},
		{"", "", "en", "zh_CN.UTF-8", "zh"},
		{"", "", "en", "zh_TW", "zh"},
		{"", "", "", "zh-Hans-CN", "zh"},
		{"", "", "", "C", "en"},
		{"", "", "", "POSIX", "en"},
		{"", "en", "zh-CN", "zh_CN.UTF-8", "en"},
		{"zh", "en", "", "", "zh"},
		{"en", "", "zh-CN", "", "en"},
	} {
		if got := i18n.Choose(tc.flag, tc.env, tc.site, tc.locale); got != tc.want {
			t.Errorf("Choose(%q, %q, %q, %q) = %q, want %q", tc.flag, tc.env, tc.site, tc.locale, got, tc.want)
		}
	}
}

func TestLocaleOrder(t *testing.T) {
	env := map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}
	if got := i18n.Locale(func(k string) string { return env[k] }); got != "zh_CN.UTF-8" {
		t.Errorf("LC_MESSAGES does not win over LANG: %q", got)
	}
	env["LC_ALL"] = "C"
	if got := i18n.Locale(func(k string) string { return env[k] }); got != "C" {
		t.Errorf("LC_ALL does not win: %q", got)
	}
}
