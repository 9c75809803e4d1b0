// Command doccheck reports Go doc comments that begin with the name of
// something other than the declaration they document, the mark of a comment
// left behind when a function, type or variable was renamed. It is run by
// make check over the module's Go directories:
//
//	go run ./scripts/doccheck nn sequential tensor wasm demo internal scripts
//
// A doc comment is reported when its first word (after "A", "An" or "The";
// a trailing "'s" or punctuation dropped) differs from the declared name and
// is either another top-level name of the same package or shaped like a Go
// identifier (an inner capital, a digit or an underscore: "newDense",
// "assertRoundTrip"). English words and acronyms ("Returns", "SELU") pass. A
// group's doc may begin with any name of the group, and Example functions
// may begin with the name they exemplify. Files are parsed whatever their
// build tags, so the js/wasm files are checked too.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

func main() {
	n, err := run(os.Stdout, os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "doccheck:", err)
		os.Exit(2)
	}
	if n > 0 {
		fmt.Fprintf(os.Stderr, "doccheck: %d doc comment(s) name another declaration; make each begin with the name it documents\n", n)
		os.Exit(1)
	}
	fmt.Println("doccheck: ok")
}

// run checks every package directory under roots and writes one line per
// mismatch to w; it returns how many it found.
func run(w io.Writer, roots []string) (int, error) {
	dirs, err := goDirs(roots)
	if err != nil {
		return 0, err
	}
	found := 0
	for _, dir := range dirs {
		ms, err := checkDir(dir)
		if err != nil {
			return found, err
		}
		for _, m := range ms {
			fmt.Fprintln(w, m)
		}
		found += len(ms)
	}
	return found, nil
}

// goDirs lists the directories under roots that hold .go files, skipping
// node_modules and testdata.
func goDirs(roots []string) ([]string, error) {
	seen := map[string]bool{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".go") {
				seen[filepath.Dir(p)] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	dirs := make([]string, 0, len(seen))
	for d := range seen {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs, nil
}

// checkDir parses the .go files of one directory (tests included, one
// package and its _test package sharing the table of names) and returns the
// mismatches, "file:line: doc of X begins with Y".
func checkDir(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	names := map[string]bool{}
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, af)
		for _, d := range af.Decls {
			for _, n := range declNames(d) {
				names[n] = true
			}
		}
	}
	var out []string
	report := func(doc *ast.CommentGroup, decl []string) {
		if w, bad := misnamed(doc, decl, names); bad {
			out = append(out, fmt.Sprintf("%s: doc of %s begins with %s", fset.Position(doc.Pos()), decl[0], w))
		}
	}
	for _, af := range parsed {
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				report(d.Doc, []string{d.Name.Name})
			case *ast.GenDecl:
				ns := declNames(d)
				if len(ns) == 0 {
					continue
				}
				report(d.Doc, ns)
				for _, sp := range d.Specs {
					if s, ok := sp.(*ast.TypeSpec); ok && d.Lparen.IsValid() {
						report(s.Doc, []string{s.Name.Name})
					}
					if s, ok := sp.(*ast.ValueSpec); ok && d.Lparen.IsValid() {
						report(s.Doc, []string{s.Names[0].Name})
					}
				}
			}
		}
	}
	return out, nil
}

// declNames returns the names a top-level declaration introduces (methods
// included, so a comment naming a sibling method is caught).
func declNames(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return []string{d.Name.Name}
	case *ast.GenDecl:
		var s []string
		for _, sp := range d.Specs {
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				s = append(s, sp.Name.Name)
			case *ast.ValueSpec:
				for _, n := range sp.Names {
					s = append(s, n.Name)
				}
			}
		}
		return s
	}
	return nil
}

// misnamed returns the doc comment's first word and whether it names
// something other than decl (see the package doc for the rule).
func misnamed(doc *ast.CommentGroup, decl []string, names map[string]bool) (string, bool) {
	if doc == nil {
		return "", false
	}
	fields := strings.Fields(doc.Text())
	if len(fields) > 1 && (fields[0] == "A" || fields[0] == "An" || fields[0] == "The") {
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return "", false
	}
	w := strings.TrimSuffix(strings.TrimRight(fields[0], ".,:;"), "'s")
	for _, n := range decl {
		if w == n || (strings.HasPrefix(n, "Example") && strings.HasPrefix(strings.TrimPrefix(n, "Example"), w)) {
			return w, false
		}
	}
	return w, names[w] || identLike(w)
}

// identLike reports whether w is shaped like a Go identifier rather than an
// English word or an acronym: letters, digits and underscores only, with an
// inner capital, a digit or an underscore, and not all capitals.
func identLike(w string) bool {
	if w == "" || strings.ToUpper(w) == w {
		return false
	}
	shaped := false
	for i, r := range w {
		switch {
		case r == '_', i > 0 && unicode.IsDigit(r), i > 0 && unicode.IsUpper(r):
			shaped = true
		case unicode.IsLetter(r), unicode.IsDigit(r):
		default:
			return false
		}
	}
	return shaped
}
