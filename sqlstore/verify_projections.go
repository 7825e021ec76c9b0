package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"throughline"
)

// VerifyProjections refolds every case from its log and compares what it
// computes with every projection stored: the case's row in cases (its
// columns and its folded state) and its rows in each child table. A
// projection edited behind the log's back — a defendant's name in
// cases.state, a stage, a hearing date — is named: one problem per case, at
// its first difference (table, column, and for the state the JSON path).
// progress, if not nil, is called with the number of cases compared.
func (s *Store) VerifyProjections(ctx context.Context, progress func(n int64)) ([]throughline.Problem, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	refs, err := distinctRefs(ctx, tx)
	if err != nil {
		return nil, err
	}
	var problems []throughline.Problem
	const chunk = 500
	for i := 0; i < len(refs); i += chunk {
		part := refs[i:min(i+chunk, len(refs))]
		rows, err := s.readRange(ctx, tx, part[0], part[len(part)-1])
		if err != nil {
			return nil, err
		}
		ps, err := s.fold(rows)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			ref := p.caseRow[0].(string)
			what, err := s.projectionDiff(ctx, tx, ref, p)
			if err != nil {
				return nil, err
			}
			if what != "" {
				problems = append(problems, throughline.Problem{Case: ref, What: "projection differs from the log: " + what})
			}
		}
		if progress != nil {
			progress(int64(len(ps)))
		}
	}
	return problems, tx.Commit()
}

// projectionDiff names the first difference between the stored projection
// of case ref and p, the one its log computes ("" when they agree).
func (s *Store) projectionDiff(ctx context.Context, tx *sql.Tx, ref string, want *projection) (string, error) {
	stored, err := s.storedRows(ctx, tx, "cases", caseColumns, "ref", ref)
	if err != nil {
		return "", err
	}
	if len(stored) != 1 {
		return "the case has no row in cases", nil
	}
	if d := rowDiff("cases", caseColumns, stored[0], normRow(want.caseRow)); d != "" {
		return d, nil
	}
	for i, t := range childTables {
		got, err := s.storedRows(ctx, tx, t.name, t.cols, "case_ref", ref)
		if err != nil {
			return "", err
		}
		var exp [][]string
		for _, r := range want.children[i] {
			exp = append(exp, normRow(r))
		}
		sortRows(got)
		sortRows(exp)
		for j := 0; j < max(len(got), len(exp)); j++ {
			switch {
			case j >= len(got):
				return fmt.Sprintf("%s: a row the log has is missing (%s)", t.name, strings.Join(exp[j][1:min(3, len(exp[j]))], ", ")), nil
			case j >= len(exp):
				return fmt.Sprintf("%s: a row the log does not have (%s)", t.name, strings.Join(got[j][1:min(3, len(got[j]))], ", ")), nil
			}
			if d := rowDiff(t.name, t.cols, got[j], exp[j]); d != "" {
				return d, nil
			}
		}
	}
	return "", nil
}

// rowDiff names the first column where got and want differ: JSON columns
// (state, detail) compared as JSON, down to the first differing path.
func rowDiff(table string, cols []string, got, want []string) string {
	for k, col := range cols {
		if got[k] == want[k] {
			continue
		}
		if col == "state" || col == "detail" {
			var g, w any
			if json.Unmarshal([]byte(got[k]), &g) == nil && json.Unmarshal([]byte(want[k]), &w) == nil {
				path := jsonDiff(col, g, w)
				if path == "" {
					continue
				}
				return fmt.Sprintf("%s.%s at %s", table, col, path)
			}
		}
		if col == "head_hash" {
			return table + ".head_hash differs"
		}
		return fmt.Sprintf("%s.%s is %q, the log says %q", table, col, got[k], want[k])
	}
	return ""
}

// jsonDiff returns the path of the first difference between g (stored) and
// w (refolded), with both values, or "".
func jsonDiff(path string, g, w any) string {
	switch wv := w.(type) {
	case map[string]any:
		gv, ok := g.(map[string]any)
		if !ok {
			break
		}
		keys := map[string]bool{}
		for k := range wv {
			keys[k] = true
		}
		for k := range gv {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if d := jsonDiff(path+"."+k, gv[k], wv[k]); d != "" {
				return d
			}
		}
		return ""
	case []any:
		gv, ok := g.([]any)
		if !ok || len(gv) != len(wv) {
			break
		}
		for i := range wv {
			if d := jsonDiff(fmt.Sprintf("%s[%d]", path, i), gv[i], wv[i]); d != "" {
				return d
			}
		}
		return ""
	}
	if reflect.DeepEqual(g, w) {
		return ""
	}
	gj, _ := json.Marshal(g)
	wj, _ := json.Marshal(w)
	return fmt.Sprintf("%s: stored %s, the log says %s", path, gj, wj)
}

// storedRows reads the rows of table for one case, every column as text.
func (s *Store) storedRows(ctx context.Context, tx *sql.Tx, table string, cols []string, key, ref string) ([][]string, error) {
	rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT `+strings.Join(quoteCols(cols), ", ")+` FROM `+table+` WHERE `+key+` = ?`), ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, normRow(vals))
	}
	return out, rows.Err()
}

func quoteCols(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = `"` + c + `"`
	}
	return out
}

// normRow writes each value as text the same way on every dialect.
func normRow(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			out[i] = "\x00null"
		case []byte:
			out[i] = string(x)
		case string:
			out[i] = x
		case int:
			out[i] = strconv.Itoa(x)
		case int64:
			out[i] = strconv.FormatInt(x, 10)
		case int32:
			out[i] = strconv.FormatInt(int64(x), 10)
		case bool:
			out[i] = "0"
			if x {
				out[i] = "1"
			}
		case time.Time:
			out[i] = x.UTC().Format(time.RFC3339Nano)
		default:
			out[i] = fmt.Sprint(x)
		}
	}
	return out
}

func sortRows(rs [][]string) {
	sort.Slice(rs, func(i, j int) bool { return strings.Join(rs[i], "\x01") < strings.Join(rs[j], "\x01") })
}
