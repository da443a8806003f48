// Command logql-check parses LogQL expressions with Loki's own parser
// (pkg/logql/syntax.ParseExpr: the parse plus the validation the query API
// applies, e.g. "at least one equality matcher"), so expressions rendered
// into dashboards are checked by exactly the pinned Loki's grammar.
//
// test/testbed/go-build.sh builds it inside a copy of the Loki module source,
// so it links against Loki's go.mod and replace directives unchanged.
//
// Protocol: JSON values {"id": string, "expr": string} on stdin (one per
// line); for each, one JSON line {"id", "ok", "error"} on stdout, in input
// order. Exit status is 0 whenever the input was readable, so a caller tells
// a rejected expression from a broken tool.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/grafana/loki/v3/pkg/logql/syntax"
)

type request struct {
	ID   string `json:"id"`
	Expr string `json:"expr"`
}

type response struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "logql-check:", err)
		os.Exit(2)
	}
}

func run(in io.Reader, out io.Writer) error {
	dec := json.NewDecoder(bufio.NewReader(in))
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	for {
		var req request
		err := dec.Decode(&req)
		if errors.Is(err, io.EOF) {
			return w.Flush()
		}
		if err != nil {
			return fmt.Errorf("reading request: %w", err)
		}
		res := response{ID: req.ID, OK: true}
		if _, perr := syntax.ParseExpr(req.Expr); perr != nil {
			res.OK, res.Error = false, perr.Error()
		}
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("writing response: %w", err)
		}
	}
}
