package sitetest

import "runtime"

// HeapAlloc is the bytes the heap holds after a collection, for tests
// that bound what a stage keeps per bulletin.
func HeapAlloc() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
