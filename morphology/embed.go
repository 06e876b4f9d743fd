package morphology

import (
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"sync"
)

// The dictionaries ship inside the binary, compressed, exactly as Debian's
// hunspell-uk, hunspell-ru and hunspell-en-us packages have them (dict/README.md says
// which version, dict/copyright under which licences). They are read the
// first time a language is asked for.
//
//go:embed dict/*.gz
var dictFS embed.FS

type lazy struct {
	once sync.Once
	d    *Dictionary
	err  error
}

var (
	uk, ru, en lazy
)

// Ukrainian returns the Ukrainian dictionary (hunspell-uk), read on first
// use.
func Ukrainian() (*Dictionary, error) { return uk.get("uk_UA") }

// Russian returns the Russian dictionary (hunspell-ru), read on first use.
func Russian() (*Dictionary, error) { return ru.get("ru_RU") }

// English returns the American English dictionary (hunspell-en-us), read
// on first use.
func English() (*Dictionary, error) { return en.get("en_US") }

// For returns the dictionary of a language code (uk, ru, en), or nil for a
// language without one. An embedded dictionary that does not read is a
// bug of the build; it is reported once and the language goes without.
func For(lang string) *Dictionary {
	var d *Dictionary
	switch lang {
	case "uk":
		d, _ = Ukrainian()
	case "ru":
		d, _ = Russian()
	case "en":
		d, _ = English()
	}
	return d
}

// Preload reads the dictionaries in parallel, so that the first query or
// article does not wait for them.
func Preload() error {
	var wg sync.WaitGroup
	var errUK, errRU, errEN error
	wg.Go(func() { _, errUK = Ukrainian() })
	wg.Go(func() { _, errRU = Russian() })
	wg.Go(func() { _, errEN = English() })
	wg.Wait()
	for _, err := range []error{errUK, errRU, errEN} {
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *lazy) get(name string) (*Dictionary, error) {
	l.once.Do(func() {
		l.d, l.err = readEmbedded(name)
	})
	return l.d, l.err
}

func readEmbedded(name string) (*Dictionary, error) {
	open := func(ext string) (io.ReadCloser, error) {
		f, err := dictFS.Open("dict/" + name + ext + ".gz")
		if err != nil {
			return nil, err
		}
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("morphology: %s%s: %w", name, ext, err)
		}
		return z, nil
	}
	aff, err := open(".aff")
	if err != nil {
		return nil, err
	}
	defer aff.Close()
	dic, err := open(".dic")
	if err != nil {
		return nil, err
	}
	defer dic.Close()
	d, err := Read(aff, dic)
	if err != nil {
		return nil, fmt.Errorf("morphology: %s: %w", name, err)
	}
	return d, nil
}
