//go:build !linux

package main

import "errors"

func evictFromCache(string) error {
	return errors.New("BULLETIN_SEARCH_CGROUP needs Linux")
}
