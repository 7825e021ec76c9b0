package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"throughline"
	"throughline/chain"
	"throughline/progress"
	"throughline/sqlstore"
)

func init() {
	register("audit", "audit verify | checkpoint | keygen | prove | check-proof: check the event log; seal it with a signed checkpoint; prove a case's events to someone with the public key", runAudit)
}

const auditSynopsis = `audit verify [--public-key KEY] [--projections=false] [--since-checkpoint] [--db DSN]
       throughline audit checkpoint --key FILE [--db DSN]
       throughline audit keygen --out FILE
       throughline audit prove REF [--event N] [--out FILE] [--purpose TEXT] [--db DSN]
       throughline audit check-proof --proof FILE --public-key KEY`

func runAudit(ctx context.Context, m *Main, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "checkpoint":
			return runCheckpoint(ctx, m, args[1:])
		case "keygen":
			return runKeygen(m, args[1:])
		case "prove":
			return runProve(ctx, m, args[1:])
		case "check-proof":
			return runCheckProof(m, args[1:])
		}
	}
	rest, err := m.sub(args, "verify", auditSynopsis)
	if err != nil {
		return err
	}
	fs := m.flags("audit verify", "audit verify [--public-key KEY] [--projections=false] [--since-checkpoint] [--db DSN]")
	db := m.dbFlag(fs)
	var keys []string
	fs.Func("public-key", "the checkpoint signing key's public half (base64, as audit keygen printed it): checkpoint signatures are checked against it; after a rotation, once per key, each after the first as FROM:KEY, FROM the first checkpoint it signed", func(v string) error {
		keys = append(keys, v)
		return nil
	})
	projections := fs.Bool("projections", true, "also refold every case from its log and compare it with every projection (cases.state and the child tables), naming the first difference")
	since := fs.Bool("since-checkpoint", false, "check only what was written since the cases were last sealed: the latest checkpoint and the events after each case's sealed head (run the full verify too, less often)")
	if err := parse(fs, rest, 0); err != nil {
		return err
	}
	ring, err := keyring(keys)
	if err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if *since {
		return verifySince(ctx, m, s, ring)
	}
	defer bulkMemory()()
	bar := progress.New(m.Stderr, "verifying events", 0)
	res, err := s.Verify(ctx, bar.Add)
	bar.Finish()
	if err != nil {
		return err
	}
	problems, latest := res.Problems, res.Checkpoint
	logProblems, entries, err := s.VerifyLogs(ctx)
	if err != nil {
		return err
	}
	problems = append(problems, logProblems...)
	materialProblems, err := s.VerifyMaterial(ctx)
	if err != nil {
		return err
	}
	problems = append(problems, materialProblems...)
	if ring != nil {
		bad, err := s.VerifySignatures(ctx, ring)
		if err != nil {
			return err
		}
		problems = append(problems, bad...)
	}
	// The projections are compared with the log only once the log itself
	// verifies: a refold of a forged log proves nothing.
	if *projections && len(problems) == 0 {
		bar := progress.New(m.Stderr, "comparing projections", res.Cases)
		bad, err := s.VerifyProjections(ctx, bar.Add)
		bar.Finish()
		if err != nil {
			return err
		}
		problems = append(problems, bad...)
	}
	if len(problems) > 0 {
		fmt.Fprintf(m.Stdout, "FAILED: %d problem(s); first: %s\n", len(problems), problems[0])
		for _, p := range problems[1:] {
			fmt.Fprintf(m.Stdout, "  %s\n", p)
		}
		return fmt.Errorf("the logs do not verify")
	}
	fmt.Fprintf(m.Stdout, "ok: %d events in %d cases verified; %d entries of the consultation and administrators' logs verified\n", res.Events, res.Cases, entries)
	switch {
	case latest == nil:
		fmt.Fprintln(m.Stdout, "no signed checkpoint yet: take one with audit checkpoint")
	case ring == nil:
		fmt.Fprintf(m.Stdout, "checkpoints agree with the log up to checkpoint %d; signatures not checked (give --public-key)\n", latest.ID)
	default:
		fmt.Fprintf(m.Stdout, "checkpoints agree with the log and their signatures verify, up to checkpoint %d of %s, signature %s: compare it with the one published\n",
			latest.ID, latest.TakenAt.Format("2 January 2006 15:04 MST"), base64.StdEncoding.EncodeToString(latest.Signature))
	}
	return nil
}

func runCheckpoint(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("audit checkpoint", "audit checkpoint --key FILE [--db DSN]")
	db := m.dbFlag(fs)
	keyFile := fs.String("key", "", "file holding the checkpoint signing key (audit keygen writes one); keep it outside the database and its backups")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *keyFile == "" {
		return usagef("--key is required: audit checkpoint --key FILE")
	}
	key, err := signingKey(*keyFile)
	if err != nil {
		return err
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	cp, err := s.Checkpoint(ctx, key)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "checkpoint %d at %s: %d cases, %d events, %d case heads and %d log chain heads sealed since the last\nsignature %s\n",
		cp.ID, cp.TakenAt.Format("2006-01-02T15:04:05Z"), cp.Cases, cp.Events, cp.Moved-cp.Logs, cp.Logs, base64.StdEncoding.EncodeToString(cp.Signature))
	return nil
}

func runKeygen(m *Main, args []string) error {
	fs := m.flags("audit keygen", "audit keygen --out FILE")
	out := fs.String("out", "", "file to write the new signing key to (it must not exist)")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required: audit keygen --out FILE")
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, base64.StdEncoding.EncodeToString(priv.Seed())); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "signing key written to %s\npublic key %s\n", *out, base64.StdEncoding.EncodeToString(pub))
	return nil
}

// publicKey decodes a checkpoint signing key's public half as audit keygen
// printed it.
// keyring reads the --public-key flags: nil if none was given.
func keyring(keys []string) (chain.Keyring, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ring, err := chain.ParseKeyring(keys)
	if err != nil {
		return nil, usagef("--public-key: %v", err)
	}
	return ring, nil
}

// runProve writes a proof that a case's events, from one event to the head
// a signed checkpoint sealed, are in the log as sealed (package chain). It
// holds the case's stored events, so giving it out is reading the case: it
// is written to the consultation log with its purpose.
func runProve(ctx context.Context, m *Main, args []string) error {
	const synopsis = "audit prove REF [--event N] [--out FILE] [--purpose TEXT] [--db DSN]"
	fs := m.flags("audit prove", synopsis)
	db := m.dbFlag(fs)
	event := fs.Int64("event", 1, "the first event to prove (the proof holds it and every later event up to the sealed head)")
	out := fs.String("out", "", "file to write the proof to (it must not exist); standard output if empty")
	purpose := fs.String("purpose", "proof of the record for an audit", "why the proof is made: written to the consultation log")
	ref, err := parseRef(fs, args)
	if err != nil {
		return err
	}
	if ref == "" {
		return usagef("the case reference is required: " + synopsis)
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Prove(ctx, ref, *event)
	if err != nil {
		return err
	}
	if err := m.logConsultation(ctx, s, []string{ref}, []string{throughline.PartTimeline}, "cli", "audit prove", *purpose); err != nil {
		return err
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "" {
		_, err = m.Stdout.Write(b)
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	last := p.Events[len(p.Events)-1].Version
	fmt.Fprintf(m.Stdout, "proof of case %s, events %d to %d, sealed by checkpoint %d of %s, written to %s\n", ref, p.Events[0].Version, last, p.Checkpoint.ID, p.Checkpoint.TakenAt, *out)
	return nil
}

// runCheckProof checks a proof with the public key alone: no database.
func runCheckProof(m *Main, args []string) error {
	fs := m.flags("audit check-proof", "audit check-proof --proof FILE --public-key KEY [--public-key FROM:KEY…]")
	file := fs.String("proof", "", "the proof audit prove wrote")
	var keys []string
	fs.Func("public-key", "the checkpoint signing key's public half (base64, as audit keygen printed it); after a rotation, once per key, each after the first as FROM:KEY", func(v string) error {
		keys = append(keys, v)
		return nil
	})
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *file == "" || len(keys) == 0 {
		return usagef("--proof and --public-key are required: audit check-proof --proof FILE --public-key KEY")
	}
	ring, err := keyring(keys)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(*file)
	if err != nil {
		return err
	}
	var p chain.Proof
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("%s is not a proof audit prove wrote: %v", *file, err)
	}
	pub := ring.For(p.Checkpoint.ID)
	if pub == nil {
		return fmt.Errorf("the proof does not verify: no key given signs checkpoint %d (the first key given signs from checkpoint %d)", p.Checkpoint.ID, ring[0].From)
	}
	head, err := p.Check(pub)
	if err != nil {
		return fmt.Errorf("the proof does not verify: %v", err)
	}
	first := p.Events[0]
	fmt.Fprintf(m.Stdout, "ok: case %s, events %d to %d (event %d: %s, occurred %s), are in the log as checkpoint %d sealed them on %s\nsignature %s: compare it with the one published\n",
		throughline.TerminalSafe(head.Ref), first.Version, head.Version, first.Version, throughline.TerminalSafe(first.Type), throughline.TerminalSafe(first.OccurredAt),
		p.Checkpoint.ID, throughline.TerminalSafe(p.Checkpoint.TakenAt), base64.StdEncoding.EncodeToString(p.Checkpoint.Signature))
	return nil
}

// signingKey reads a checkpoint signing key that audit keygen wrote.
func signingKey(file string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s does not hold a signing key written by audit keygen", file)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// verifySince is audit verify --since-checkpoint.
func verifySince(ctx context.Context, m *Main, s *sqlstore.Store, ring chain.Keyring) error {
	start := time.Now()
	res, err := s.VerifySinceCheckpoint(ctx)
	if err != nil {
		return err
	}
	cp := res.Checkpoint
	problems := res.Problems
	if ring != nil && !ring.Verify(cp.ID, cp.Root, cp.Signature) {
		problems = append(problems, throughline.Problem{What: fmt.Sprintf("checkpoint %d: its signature does not verify under the public key for its range", cp.ID)})
	}
	if len(problems) > 0 {
		fmt.Fprintf(m.Stdout, "FAILED: %d problem(s); first: %s\n", len(problems), problems[0])
		for _, p := range problems[1:] {
			fmt.Fprintf(m.Stdout, "  %s\n", p)
		}
		return fmt.Errorf("the log does not verify since checkpoint %d", cp.ID)
	}
	signed := "its signature not checked (give --public-key)"
	if ring != nil {
		signed = "its signature verifies"
	}
	fmt.Fprintf(m.Stdout, "ok since checkpoint %d of %s (%s, signature %s): %d cases moved since their sealed heads, %d events checked, in %s\n",
		cp.ID, cp.TakenAt.Format("2 January 2006 15:04 MST"), signed, base64.StdEncoding.EncodeToString(cp.Signature), res.Cases, res.Events, time.Since(start).Round(time.Millisecond))
	return nil
}
