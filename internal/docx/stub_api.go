package docx

import (
	"context"
	"errors"
	"io"
)

type Limits struct {
	FileBytes    int64
	Uncompressed int64
	Entries      int
	XMLDepth     int
	ImageBytes   int64
}
type Report struct {
	Title       string
	Body        string
	Attribution string
	Fields      Fields
	Images      []Image
	Notes       []string
}
type Fields struct {
	Bureau, Signer, Author, Contact string
	Request                         string
	Date                            string
}
type Image struct {
	Name string
	Data []byte
}
type FormatError struct{ Reason string }

func (e *FormatError) Error() string { return e.Reason }

var ErrNoSoffice = errors.New("no soffice")

func Read(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Report, error) {
	return nil, &FormatError{"stub"}
}
func ReadFile(ctx context.Context, name string, lim Limits) (*Report, error) {
	return nil, &FormatError{"stub"}
}
func Soffice() string { return "" }
func Convert(ctx context.Context, soffice, src, outDir string) (string, error) {
	return "", ErrNoSoffice
}
