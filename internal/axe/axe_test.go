package axe

import (
	"strings"
	"testing"
)

// TestVersion: the embedded file is the release doc.go and README.md name.
func TestVersion(t *testing.T) {
	if !strings.HasPrefix(Script, "/*! axe v"+Version+"\n") {
		t.Errorf("axe.min.js starts %q, want the banner of axe v%s", Script[:min(len(Script), 40)], Version)
	}
}
