package site

import "testing"

func TestBureauSlug(t *testing.T) {
	for _, tc := range []struct{ name, region, want string }{
		{"青海省民政厅", "青海省", "qinghai"},
		{"西宁市民政局", "青海省西宁市", "qinghai-xining"},
		{"杭州市西湖区民政局", "浙江省杭州市西湖区", "zhejiang-hangzhou-xihu"},
		{"玉树州民政局", "青海省玉树自治州", "qinghai-yushu"},
		{"陕西省民政厅", "陕西省", "shaanxi"},
		{"内蒙古自治区民政厅", "内蒙古自治区", "neimenggu"},
		{"西宁市城东区民政局", "西宁市城东区", "xining-chengdong"},
		{"民政部", "", "minzhengbu"},
		{"长春市民政局", "吉林省长春市", "jilin-changchun"},
		{"厦门市民政局", "福建省厦门市", "fujian-xiamen"},
		{"蚌埠市民政局", "安徽省蚌埠市", "anhui-bengbu"},
		{"黄南州民政局", "青海省黄南藏族自治州", "qinghai-huangnan"},
		{"海西州民政局", "青海省海西蒙古族藏族自治州", "qinghai-haixi"},
		{"大通县民政局", "青海省西宁市大通回族土族自治县", "qinghai-xining-datong"},
		{"番禺区民政局", "广东省广州市番禺区", "guangdong-guangzhou-panyu"},
	} {
		if got := BureauSlug(tc.name, tc.region); got != tc.want {
			t.Errorf("BureauSlug(%s, %s) = %q, want %q", tc.name, tc.region, got, tc.want)
		}
		if got := BureauSlug(tc.name, tc.region); !asciiSlugRE.MatchString(got) {
			t.Errorf("BureauSlug(%s, %s) = %q, not a valid slug", tc.name, tc.region, got)
		}
	}
}

func TestRegionOfName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"青海省民政厅", "青海省"},
		{"杭州市西湖区民政局", "杭州市西湖区"},
		{"海北藏族自治州民政局", "海北藏族自治州"},
		{"湟中区民政局", "湟中区"},
		{"民政部", ""},
		{"省民政厅", ""},
	} {
		if got := RegionOfName(tc.name); got != tc.want {
			t.Errorf("RegionOfName(%s) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
