package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"throughline/chain"

	"throughline"
)

// The consultation log and the administrators' log are hash-chained like
// the event log (ADR 0112). Each entry's hash is SHA-256 over the hash of
// the entry before it in its chain, its place in the chain and every field;
// log_heads holds where each chain ends and moves in the same transaction
// as the entries. A consultation's chain is its case's, so readers of
// different cases never wait for one another on PostgreSQL; the
// administrators' log, written rarely, is one chain. Verify (audit verify)
// recomputes every chain: a changed, removed, inserted or reordered entry,
// a truncated chain or an entry outside any chain is named.

// chainedLog is one of the chained logs: its table, the column naming an
// entry's chain ("" for a log of one chain) and the columns the hash covers,
// in order.
type chainedLog struct {
	table, chainCol string
	cols            []string
	what            string // how a problem names the log
}

var (
	consultationLog = chainedLog{table: "consultations", chainCol: "case_ref", cols: consultationColumns, what: "consultation log"}
	adminLog        = chainedLog{table: "admin_actions", cols: adminColumns, what: "administrators' log"}
)

// chainEntry is one entry to append: its chain and its column values, in
// the log's column order; a nil value is stored as NULL and hashed as "".
type chainEntry struct {
	chain  string
	values []any
}

// logEntryHash is the one definition of what an entry's hash covers.
func logEntryHash(table string, prev []byte, seq int64, values []any) []byte {
	buf := chain.AppendField(nil, []byte("throughline log v1"))
	buf = chain.AppendField(buf, []byte(table))
	buf = chain.AppendField(buf, prev)
	buf = binary.BigEndian.AppendUint64(buf, uint64(seq))
	for _, v := range values {
		switch v := v.(type) {
		case nil:
			buf = chain.AppendField(buf, nil)
		case string:
			buf = chain.AppendField(buf, []byte(v))
		default:
			buf = chain.AppendField(buf, fmt.Append(nil, v))
		}
	}
	sum := sha256.Sum256(buf)
	return sum[:]
}

type chainHead struct {
	seq  int64
	hash []byte
}

// appendChained appends entries to l in tx, each linked to the one before
// it in its chain, and moves the chains' heads: four statements however
// many entries, for every chainsPerStatement chains. The heads are locked in chain order (PostgreSQL
// row locks), so two writers to one case's chain queue; writers to others
// do not.
func (s *Store) appendChained(ctx context.Context, tx sqlTx, l chainedLog, entries []chainEntry) error {
	var chains []string
	byChain := map[string][]chainEntry{}
	for _, e := range entries {
		if _, ok := byChain[e.chain]; !ok {
			chains = append(chains, e.chain)
		}
		byChain[e.chain] = append(byChain[e.chain], e)
	}
	slices.Sort(chains)
	if len(chains) <= chainsPerStatement {
		return s.appendChainGroup(ctx, tx, l, entries, chains)
	}
	// An export logs a consultation of every case it holds: hundreds of
	// thousands of chains, more than any database takes parameters in one
	// statement (SQLite 32,766; PostgreSQL 65,535). Each group's chains
	// are written together, each chain's entries in their order.
	for i := 0; i < len(chains); i += chainsPerStatement {
		group := chains[i:min(i+chainsPerStatement, len(chains))]
		var part []chainEntry
		for _, c := range group {
			part = append(part, byChain[c]...)
		}
		if err := s.appendChainGroup(ctx, tx, l, part, group); err != nil {
			return err
		}
	}
	return nil
}

// chainsPerStatement is how many chains appendChainGroup moves in one
// statement: four parameters each.
const chainsPerStatement = 2000

// appendChainGroup appends entries to the chains named (sorted, each once),
// no more than chainsPerStatement of them.
func (s *Store) appendChainGroup(ctx context.Context, tx sqlTx, l chainedLog, entries []chainEntry, chains []string) error {
	fresh := make([]any, 0, 4*len(chains))
	for _, c := range chains {
		fresh = append(fresh, l.table, c, 0, genesis)
	}
	headCols := []string{"log", "chain", "seq", "hash"}
	// One statement starts the chains not yet begun and returns every
	// chain's head, locked, through the primary key. A separate read by
	// `chain IN (…)` was planned on PostgreSQL while the table was small
	// (within an export's transaction it starts empty) and kept that plan,
	// a scan of the whole table, for each group after: exporting 100,000
	// cases took 108 s instead of 20, and the national export was stopped
	// after 14 minutes with its backend busy on that read alone.
	rows, err := tx.QueryContext(ctx, s.d.rebind(insertSQL("log_heads", headCols, len(chains))+
		` ON CONFLICT (log, chain) DO UPDATE SET seq = log_heads.seq RETURNING chain, seq, hash`), fresh...)
	if err != nil {
		return err
	}
	heads := map[string]chainHead{}
	for rows.Next() {
		var c string
		var h chainHead
		if err := rows.Scan(&c, &h.seq, &h.hash); err != nil {
			rows.Close()
			return err
		}
		heads[c] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	out := make([][]any, 0, len(entries))
	for _, e := range entries {
		h := heads[e.chain]
		h.seq++
		h.hash = logEntryHash(l.table, h.hash, h.seq, e.values)
		heads[e.chain] = h
		out = append(out, append(slices.Clone(e.values), h.seq, h.hash))
	}
	if err := s.insertRows(ctx, tx, l.table, append(slices.Clone(l.cols), "seq", "hash"), out); err != nil {
		return err
	}
	moved := make([]any, 0, 4*len(chains))
	for _, c := range chains {
		moved = append(moved, l.table, c, heads[c].seq, heads[c].hash)
	}
	_, err = tx.ExecContext(ctx, s.d.rebind(insertSQL("log_heads", headCols, len(chains))+` ON CONFLICT (log, chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`), moved...)
	return err
}

// VerifyLogs recomputes the chains of the consultation log and the
// administrators' log and compares their ends with the heads. It returns
// the first problem of each broken chain and how many entries it checked.
func (s *Store) VerifyLogs(ctx context.Context) ([]throughline.Problem, int64, error) {
	var problems []throughline.Problem
	var n int64
	for _, l := range []chainedLog{consultationLog, adminLog} {
		ps, m, err := s.verifyLog(ctx, l)
		if err != nil {
			return nil, 0, err
		}
		problems, n = append(problems, ps...), n+m
	}
	return problems, n, nil
}

func (s *Store) verifyLog(ctx context.Context, l chainedLog) ([]throughline.Problem, int64, error) {
	var after int64
	if err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT after_id FROM log_chain_start WHERE log = ?`), l.table).Scan(&after); err != nil {
		return nil, 0, fmt.Errorf("%s: where its chains begin: %w", l.what, err)
	}
	heads := map[string]chainHead{}
	hr, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT chain, seq, hash FROM log_heads WHERE log = ?`), l.table)
	if err != nil {
		return nil, 0, err
	}
	for hr.Next() {
		var c string
		var h chainHead
		if err := hr.Scan(&c, &h.seq, &h.hash); err != nil {
			hr.Close()
			return nil, 0, err
		}
		heads[c] = h
	}
	hr.Close()
	if err := hr.Err(); err != nil {
		return nil, 0, err
	}

	chainCol, order := "''", "seq"
	if l.chainCol != "" {
		chainCol, order = l.chainCol, l.chainCol+", seq"
	}
	q := `SELECT id, ` + chainCol + `, seq, hash`
	for _, c := range l.cols {
		q += ", " + c
	}
	// Entries outside any chain (seq NULL) sort first in SQLite and last in
	// PostgreSQL; either way each is judged alone.
	rows, err := s.db.QueryContext(ctx, q+` FROM `+l.table+` ORDER BY `+order)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var problems []throughline.Problem
	broken := map[string]bool{}
	report := func(chain, what string) {
		if broken[chain] {
			return
		}
		broken[chain] = true
		p := throughline.Problem{What: l.what + ": " + what}
		if l.chainCol != "" {
			p.Case = chain
		}
		problems = append(problems, p)
	}
	var n int64
	cur, at := "", chainHead{hash: genesis}
	started := false
	finish := func() {
		if !started {
			return
		}
		h, ok := heads[cur]
		delete(heads, cur)
		if !ok || h.seq != at.seq || !bytes.Equal(h.hash, at.hash) {
			report(cur, fmt.Sprintf("the chain ends at entry %d but its head says %d: entries were removed or added", at.seq, h.seq))
		}
	}
	vals := make([]any, len(l.cols))
	ptrs := make([]any, 0, len(l.cols)+4)
	var id int64
	var chain string
	var seq sql.NullInt64
	var hash []byte
	ptrs = append(ptrs, &id, &chain, &seq, &hash)
	for i := range vals {
		ptrs = append(ptrs, &vals[i])
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, 0, err
		}
		n++
		if !seq.Valid {
			if id > after {
				report(chain, fmt.Sprintf("entry id %d is outside any chain: it was added behind the store's back", id))
			}
			continue
		}
		if !started || chain != cur {
			finish()
			cur, at, started = chain, chainHead{hash: genesis}, true
		}
		switch {
		case seq.Int64 != at.seq+1:
			report(chain, fmt.Sprintf("entry %d (id %d): expected entry %d: an entry was removed, inserted or moved", seq.Int64, id, at.seq+1))
		case !bytes.Equal(logEntryHash(l.table, at.hash, seq.Int64, normalise(vals)), hash):
			report(chain, fmt.Sprintf("entry %d (id %d): its contents do not match its hash", seq.Int64, id))
		}
		at = chainHead{seq: seq.Int64, hash: hash}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	finish()
	for c, h := range heads {
		if h.seq > 0 {
			report(c, fmt.Sprintf("its head says %d entries but the log holds none", h.seq))
		}
	}
	return problems, n, nil
}

// normalise turns scanned values into what was hashed when they were
// written: text as strings, NULL as nil.
func normalise(vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case []byte:
			out[i] = string(v)
		default:
			out[i] = v
		}
	}
	return out
}

// Signed checkpoints seal the chains' heads beside the cases' (ADR 0112):
// a sealed head is named "log:<table>:<chain>", which no case reference can
// be (a reference has no colon), so it sorts and signs with the case heads
// under the same root, and the checkpoint code treats both alike through
// the three functions below.
const sealedLogPrefix = "log:"

// logSealedName is the sealed-head name of a chain of table.
func logSealedName(table, chain string) string { return sealedLogPrefix + table + ":" + chain }

// sealedLog splits a sealed-head name into its log and chain; ok is false
// for a case reference.
func sealedLog(name string) (l chainedLog, chain string, ok bool) {
	rest, ok := strings.CutPrefix(name, sealedLogPrefix)
	if !ok {
		return chainedLog{}, "", false
	}
	table, chain, _ := strings.Cut(rest, ":")
	for _, l := range []chainedLog{consultationLog, adminLog} {
		if l.table == table {
			return l, chain, true
		}
	}
	return chainedLog{table: table, what: table}, chain, true
}

// logHeads reads every chain's head as a sealed head.
func (s *Store) logHeads(ctx context.Context, q querier) ([]sealedHead, error) {
	rows, err := q.QueryContext(ctx, `SELECT log, chain, seq, hash FROM log_heads`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sealedHead
	for rows.Next() {
		var table, chain string
		var hd sealedHead
		if err := rows.Scan(&table, &chain, &hd.version, &hd.hash); err != nil {
			return nil, err
		}
		hd.ref = logSealedName(table, chain)
		out = append(out, hd)
	}
	return out, rows.Err()
}

// sealedHash is the stored hash at version of the chain a sealed head
// names: a case's event, or a log's entry; nil if there is none.
func (s *Store) sealedHash(ctx context.Context, q querier, name string, version int64) (position int64, hash []byte, err error) {
	l, chain, ok := sealedLog(name)
	if !ok {
		return s.eventHash(ctx, q, name, version)
	}
	query := `SELECT hash FROM ` + l.table + ` WHERE seq = ?`
	args := []any{version}
	if l.chainCol != "" {
		query += ` AND ` + l.chainCol + ` = ?`
		args = append(args, chain)
	}
	err = q.QueryRowContext(ctx, s.d.rebind(query), args...).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	return 0, hash, err
}

// sealedProblem is a problem with a sealed head, named as people read it.
func sealedProblem(name string, version int64, what string) throughline.Problem {
	l, chain, ok := sealedLog(name)
	if !ok {
		return throughline.Problem{Case: name, Version: version, What: what}
	}
	p := throughline.Problem{What: fmt.Sprintf("%s: entry %d %s", l.what, version, what)}
	if l.chainCol != "" {
		p.Case = chain
	}
	return p
}
