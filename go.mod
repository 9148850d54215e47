module bulletin

go 1.26.0

require (
	github.com/mozillazg/go-pinyin v0.21.0
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.48.0
)
