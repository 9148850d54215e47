package site

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// URLs must stay ASCII: a percent-encoded Chinese path is unreadable when
// shared and is mangled by some government mail and chat systems.

// provinceSlugs gives the usual romanisation of the provincial-level
// divisions, which plain pinyin gets wrong (陕西 shaanxi, 重庆 chong-) or
// makes long (内蒙古自治区).
var provinceSlugs = map[string]string{
	"北京市": "beijing", "天津市": "tianjin", "上海市": "shanghai", "重庆市": "chongqing",
	"河北省": "hebei", "山西省": "shanxi", "辽宁省": "liaoning", "吉林省": "jilin",
	"黑龙江省": "heilongjiang", "江苏省": "jiangsu", "浙江省": "zhejiang", "安徽省": "anhui",
	"福建省": "fujian", "江西省": "jiangxi", "山东省": "shandong", "河南省": "henan",
	"湖北省": "hubei", "湖南省": "hunan", "广东省": "guangdong", "海南省": "hainan",
	"四川省": "sichuan", "贵州省": "guizhou", "云南省": "yunnan", "陕西省": "shaanxi",
	"甘肃省": "gansu", "青海省": "qinghai", "台湾省": "taiwan",
	"内蒙古自治区": "neimenggu", "广西壮族自治区": "guangxi", "西藏自治区": "xizang",
	"宁夏回族自治区": "ningxia", "新疆维吾尔自治区": "xinjiang",
	"香港特别行政区": "hongkong", "澳门特别行政区": "macao",
	"新疆生产建设兵团": "bingtuan",
}

func regionSlug(name string) string {
	if s, ok := provinceSlugs[name]; ok {
		return s
	}
	return termSlug(name)
}

// termSlug makes the URL slug of a category, tag or region name: pinyin for
// Chinese characters, Latin letters and digits kept, anything else a dash.
// Names that yield nothing usable get a short stable id instead.
func termSlug(name string) string {
	var b strings.Builder
	args := pinyin.NewArgs()
	dash := false
	sep := func() {
		if b.Len() > 0 {
			dash = true
		}
	}
	write := func(s string) {
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(s)
	}
	lastHan := false
	for _, r := range strings.ToLower(name) {
		switch {
		case unicode.Is(unicode.Han, r):
			py := pinyin.SinglePinyin(r, args)
			if len(py) == 0 || py[0] == "" {
				sep()
				lastHan = false
				continue
			}
			if !lastHan {
				sep()
			}
			write(py[0])
			lastHan = true
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if lastHan {
				sep()
			}
			write(string(r))
			lastHan = false
		default:
			sep()
			lastHan = false
		}
	}
	s := b.String()
	if s == "" {
		return "t-" + shortHash(name)
	}
	if len(s) > 60 {
		s = strings.TrimRight(s[:50], "-") + "-" + shortHash(name)
	}
	return s
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:8]
}

// fileSlug derives a bulletin's slug from its file name when that is ASCII
// (index.md takes its folder's name), else a stable id from the source path,
// so that renaming nothing never changes a URL.
func fileSlug(rel string) string {
	base := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	if base == "index" || base == "_index" {
		base = path.Base(path.Dir(rel))
	}
	s := strings.ToLower(base)
	if asciiSlugRE.MatchString(s) && len(s) <= 80 {
		return s
	}
	// Spaces and dots are common in ASCII file names; fold them to dashes
	// before giving up on the name.
	s = strings.Trim(strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '_' {
			return '-'
		}
		return r
	}, s), "-")
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	if asciiSlugRE.MatchString(s) && len(s) <= 80 {
		return s
	}
	return "b" + shortHash(rel)[:7]
}

// BureauSlug proposes the URL slug of a bureau of region, the way the
// registry's slugs read: the province's usual romanisation, then each lower
// division's name in pinyin without its suffix (青海省西宁市 qinghai-xining,
// 浙江省杭州市西湖区 zhejiang-hangzhou-xihu). Without a region it is the
// pinyin of the name.
func BureauSlug(name, region string) string {
	if region == "" {
		return termSlug(name)
	}
	var parts []string
	rest := region
	for province, slug := range provinceSlugs {
		if strings.HasPrefix(region, province) {
			parts, rest = append(parts, slug), strings.TrimPrefix(region, province)
			break
		}
	}
	for _, m := range divisionRE.FindAllStringSubmatch(rest, -1) {
		name := ethnicRE.ReplaceAllString(m[1], "") // 黄南藏族 → 黄南, as 广西壮族自治区 is guangxi
		if name == "" {
			name = m[1]
		}
		if py, ok := placePinyin[name]; ok {
			parts = append(parts, py)
			continue
		}
		parts = append(parts, strings.ReplaceAll(termSlug(name), "-", ""))
	}
	if len(parts) == 0 {
		return termSlug(region)
	}
	return strings.Join(parts, "-")
}

// placePinyin gives the reading of place names whose characters plain
// pinyin reads otherwise elsewhere (长 zhang, 厦 sha, 蚌 bang).
var placePinyin = map[string]string{
	"长春": "changchun", "长沙": "changsha", "长治": "changzhi", "长安": "changan", "长宁": "changning",
	"长寿": "changshou", "长清": "changqing", "长丰": "changfeng", "长兴": "changxing", "长葛": "changge",
	"长垣": "changyuan", "长汀": "changting", "长乐": "changle", "长阳": "changyang", "长白": "changbai",
	"厦门": "xiamen", "蚌埠": "bengbu", "番禺": "panyu", "六安": "luan", "六合": "luhe",
	"重庆": "chongqing", "大厦": "dasha", "乐亭": "laoting", "乐清": "yueqing", "单县": "shanxian",
	"莘县": "shenxian", "蔚县": "yuxian", "铅山": "yanshan", "洪洞": "hongtong", "东阿": "donge",
	"曲阜": "qufu", "尉氏": "yushi", "济南": "jinan", "济宁": "jining", "茌平": "chiping",
	"朝阳": "chaoyang", "黄陂": "huangpi", "天台": "tiantai", "台州": "taizhou", "丽水": "lishui",
	"丽江": "lijiang", "会昌": "huichang", "会理": "huili", "会泽": "huize", "会宁": "huining",
	"大通": "datong", "尖扎": "jianzha", "称多": "chenduo", "和田": "hetian", "和布克赛尔": "hebukesaier",
}

// ethnicRE matches the peoples an autonomous division names after its
// place (黄南藏族, 海西蒙古族藏族, 大通回族土族), which a slug leaves out.
var ethnicRE = regexp.MustCompile(`(?:(?:` + strings.Join([]string{
	"蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家",
	"哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜",
	"土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克",
	"怒", "鄂温克", "德昂", "保安", "裕固", "京", "独龙", "鄂伦春", "赫哲", "各",
}, "|") + `)族)+$`)

// divisionRE splits a region below the province into its divisions, each
// name without the suffix of its level.
var divisionRE = regexp.MustCompile(`(.+?)(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|区|县|旗|盟)`)

// regionOfNameRE takes the region at the start of a bureau's name: the
// longest run that ends in the suffix of a division, with a name of two
// characters or more before it.
var regionOfNameRE = regexp.MustCompile(`^(.{2,}(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|区|县|旗|盟))`)

// RegionOfName guesses a bureau's region from its name, as Chinese bureaus
// are named after theirs (青海省民政厅 青海省, 杭州市西湖区民政局 杭州市西湖区),
// or returns "".
func RegionOfName(name string) string {
	m := regionOfNameRE.FindStringSubmatch(name)
	if m == nil {
		return ""
	}
	return m[1]
}
