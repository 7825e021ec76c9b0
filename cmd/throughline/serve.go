package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"throughline"
	"throughline/identity"
	"throughline/metrics"
	"throughline/notify"
	"throughline/sqlstore"
	"throughline/synth"
	"throughline/web"
	"throughline/wire"
)

func init() {
	register("serve", "serve the API and web pages", runServe)
}

func runServe(ctx context.Context, m *Main, args []string) error {
	fs := m.flags("serve", "serve [--addr 127.0.0.1:8080] [--db DSN] [--demo]")
	db := m.dbFlag(fs)
	addr := fs.String("addr", m.env("THROUGHLINE_ADDR", "127.0.0.1:8080"), "address to listen on (default from $THROUGHLINE_ADDR when set)")
	demo := fs.Bool("demo", false, "on an empty database, generate demo cases; print demo sign-ins")
	channels := addChannelFlags(fs)
	oidcIssuer := fs.String("oidc-issuer", "", "OpenID Connect issuer URL of the police/CPS identity provider (sign-in with it is offered when set)")
	oidcClient := fs.String("oidc-client-id", "", "OpenID Connect client id")
	oidcSecretFile := fs.String("oidc-client-secret-file", "", "file holding the OpenID Connect client secret")
	oidcRedirect := fs.String("oidc-redirect", "", "redirect URL registered with the provider, ending /sign-in/oidc/callback")
	oidcName := fs.String("oidc-name", "your organisation", "what the sign-in page calls the identity provider")
	metricsAddr := fs.String("metrics-addr", m.env("THROUGHLINE_METRICS_ADDR", ""), "address to serve Prometheus metrics on (GET /metrics), apart from the site; off when empty (default from $THROUGHLINE_METRICS_ADDR)")
	logFormat := fs.String("log-format", "text", "log lines as text (for a terminal) or json (one object a line, for a log collector)")
	pseudonymFile := fs.String("pseudonym-key", m.env("THROUGHLINE_PSEUDONYM_KEY_FILE", ""), "file holding the key of inspectors' pseudonyms, outside the database; made if missing; the same file for every serve process (default from $THROUGHLINE_PSEUDONYM_KEY_FILE; with SQLite, beside the database)")
	materialFile := fs.String("material-key", m.env("THROUGHLINE_MATERIAL_KEY_FILE", ""), "file holding the key that wraps restricted material's data keys, outside the database; the same for every serve process; $THROUGHLINE_MATERIAL_KEY may hold the key itself instead (default from $THROUGHLINE_MATERIAL_KEY_FILE; with SQLite, beside the database, made on first start)")
	ticks, err := addTickFlags(m, fs)
	if err != nil {
		return err
	}
	checkpointKey := fs.String("checkpoint-key", m.env("THROUGHLINE_CHECKPOINT_KEY_FILE", ""), "file holding the checkpoint signing key (audit keygen): serve then takes a signed checkpoint every --checkpoint-every, once across every serve process; none when empty (default from $THROUGHLINE_CHECKPOINT_KEY_FILE)")
	checkpointDir := fs.String("checkpoint-dir", m.env("THROUGHLINE_CHECKPOINT_DIR", ""), "directory, outside the database, where each checkpoint serve takes is also written (checkpoint-N.json and latest.json) for monitors to poll and publish (default from $THROUGHLINE_CHECKPOINT_DIR)")
	checkpointDefault, err := m.envDuration("THROUGHLINE_CHECKPOINT_EVERY", 5*time.Minute)
	if err != nil {
		return err
	}
	checkpointEvery := fs.Duration("checkpoint-every", checkpointDefault, "how often serve takes a signed checkpoint with --checkpoint-key (default from $THROUGHLINE_CHECKPOINT_EVERY)")
	proxies := fs.String("trusted-proxy", "", "addresses or CIDR ranges of the load balancers in front, comma-separated: their X-Forwarded-For names the client")
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if err := ticks.check(); err != nil {
		return err
	}
	if *checkpointEvery <= 0 {
		return usagef("--checkpoint-every must be positive, not %v", *checkpointEvery)
	}
	if *checkpointDir != "" {
		if fi, err := os.Stat(*checkpointDir); err != nil || !fi.IsDir() {
			return usagef("--checkpoint-dir %s is not a directory", *checkpointDir)
		}
	}
	var checkpoints *checkpointing
	if *checkpointKey != "" {
		key, err := signingKey(*checkpointKey)
		if err != nil {
			return err
		}
		checkpoints = &checkpointing{key: key, dir: *checkpointDir, every: *checkpointEvery}
	} else if *checkpointDir != "" {
		return usagef("--checkpoint-dir needs --checkpoint-key")
	}
	if *logFormat != "text" && *logFormat != "json" {
		return usagef("--log-format is text or json, not %q", *logFormat)
	}
	trusted, err := web.ParseProxies(*proxies)
	if err != nil {
		return usagef("--trusted-proxy: %v", err)
	}
	keyPath, err := pseudonymKeyPath(*pseudonymFile, *db)
	if err != nil {
		return err
	}
	var oidcSignIn *web.OIDC
	if *oidcIssuer != "" {
		secret := ""
		if *oidcSecretFile != "" {
			b, err := os.ReadFile(*oidcSecretFile)
			if err != nil {
				return fmt.Errorf("--oidc-client-secret-file: %w", err)
			}
			secret = strings.TrimSpace(string(b))
		}
		o, err := web.NewOIDC(ctx, web.OIDCConfig{Name: *oidcName, Issuer: *oidcIssuer, ClientID: *oidcClient, ClientSecret: secret, RedirectURL: *oidcRedirect})
		if err != nil {
			return err
		}
		oidcSignIn = o
	}
	s, err := m.openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	logger := slog.New(slog.NewTextHandler(m.Stderr, nil))
	if *logFormat == "json" {
		logger = slog.New(slog.NewJSONHandler(m.Stderr, nil))
	}
	if checkpoints == nil {
		logger.Info("no --checkpoint-key: serve takes no signed checkpoints; take them with audit checkpoint")
	}
	pseudonymKey, made, err := loadPseudonymKey(ctx, s, keyPath)
	if err != nil {
		return err
	}
	if made {
		fmt.Fprintf(m.Stdout, "Made the pseudonym key %s: keep it outside the database and its backups, and give the same file to every serve process\n", keyPath)
	}
	materialKey, note, err := loadMaterialKey(ctx, s, materialKeyPath(*materialFile, m.env("THROUGHLINE_MATERIAL_KEY", ""), *db))
	if err != nil {
		return err
	}
	if note != "" {
		fmt.Fprintln(m.Stdout, note)
	}
	accounts := identity.New(s, m.Now)
	victimRef := ""
	if *demo {
		if victimRef, err = m.seedDemo(ctx, s, accounts); err != nil {
			return err
		}
	}
	dispatcher, closeChannels, err := channels.dispatcher(m, s, logger)
	if err != nil {
		return err
	}
	defer closeChannels()
	var demoPortal *web.Demo
	if *demo && len(dispatcher.Channels) == 0 {
		// Nowhere to send: codes and messages go to the demo outbox page.
		o := &notify.DemoOutbox{}
		for _, ch := range []string{"email", "sms", "letter"} {
			dispatcher.Channels[ch] = o.For(ch)
		}
		demoPortal = &web.Demo{Outbox: o, Victim: victimRef}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The dispatcher counts as running from before the first request until
	// Run returns, so that /readyz does not flap at start.
	var dispatching atomic.Bool
	dispatching.Store(true)
	ready := func(ctx context.Context) error {
		if err := s.Ready(ctx); err != nil {
			return err
		}
		if !dispatching.Load() {
			return errors.New("dispatcher not running")
		}
		return nil
	}
	callbackToken, err := channels.callbackToken(m)
	if err != nil {
		return err
	}
	// The server's own work beyond a request (the dashboards' reads) ends
	// when serve does, before the store closes.
	background, stopBackground := context.WithCancel(ctx)
	defer stopBackground()
	webServer := &web.Server{Store: wire.Backend{Store: s, Service: accounts}, Logger: logger, Now: m.Now, OIDC: oidcSignIn,
		NotifyCallbackToken: callbackToken, PortalSend: portalSender(dispatcher), TrustedProxies: trusted, Ready: ready, PseudonymKey: pseudonymKey, Demo: demoPortal,
		Context: background}
	if materialKey != nil {
		webServer.MaterialKey = materialKey
	}
	var metricsSrv *http.Server
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		reg := metrics.New(s, m.Now)
		webServer.Observe = reg.ObserveRequest
		s.Appended = reg.Appended
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", reg.Handler())
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		go metricsSrv.Serve(mln)
		defer metricsSrv.Close()
		fmt.Fprintf(m.Stdout, "Metrics at http://%s/metrics\n", mln.Addr())
	}
	handler, err := webServer.Build()
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	// Scheduled work is the scheduler's, under a lease: it runs once per
	// tick across every serve and dispatch process.
	schedCtx, stopSched := context.WithCancel(ctx)
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		scheduledWork(s, logger, m.Now, *ticks.every, *ticks.lease, checkpoints).Run(schedCtx)
	}()
	// Stopped before the store closes, so that its leases are handed back.
	defer func() { stopSched(); <-schedDone }()
	go func() {
		defer dispatching.Store(false)
		dispatcher.Run(ctx)
	}()
	fmt.Fprintf(m.Stdout, "Throughline is serving http://%s/ (database %s)\n", ln.Addr(), *db)
	if *demo {
		printDemoVictim(m, ln.Addr().String(), victimRef, demoPortal != nil)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demoUsers are the people the demo signs in as.
var demoUsers = []struct{ name, role, agency, login string }{
	{"Priya Shah (DC, West Yorkshire Police)", "officer", "police:13", "priya"},
	{"Tom Hughes (DS, West Yorkshire Police)", "police_supervisor", "police:13", "tom"},
	{"Ruth Adeyemi (Crown Prosecutor, CPS Yorkshire and Humberside)", "prosecutor", "cps:yorkshire_humberside", "ruth"},
	{"Hannah Mills (RASSO Unit Head, CPS Yorkshire and Humberside)", "cps_manager", "cps:yorkshire_humberside", "hannah"},
	{"Gwen Price (Witness Care Officer, West Yorkshire)", "witness_care", "wcu:13", "gwen"},
	{"Ana Lopes (ISVA, Rape Crisis Leeds)", "isva", "isva:rape-crisis-leeds", "ana"},
	{"Sam Okoro (HM Inspector)", "inspector", "inspectorate", "sam"},
	{"Grace Whitfield (Commissioner for Rape and Serious Sexual Offences)", "commissioner", "commissioner", "grace"},
	{"Ada Okafor (Administrator, West Yorkshire Police)", "admin", "police:13", "ada"},
}

// seedDemo generates demo cases into an empty database, puts the demo users
// on case teams, fills the directory, and gives each a fresh password and
// API token, printing them. It returns a demo case to sign in to as its
// victim ("" if none). There is no demo bypass of the second factor: each demo user sets
// up an authenticator app at their first sign-in (the setup key is shown
// on that page), exactly as a new member of staff does.
func (m *Main) seedDemo(ctx context.Context, s *sqlstore.Store, accounts *identity.Service) (string, error) {
	existing, err := s.Cases(ctx, throughline.CaseFilter{Limit: 1})
	if err != nil {
		return "", err
	}
	if len(existing) == 0 {
		now := m.Now()
		fmt.Fprintln(m.Stdout, "Generating demo cases (synthetic; no real person)…")
		n, events, err := generateInto(ctx, s, synth.Options{Cases: 20000, Seed: 2022, FromYear: now.Year() - 4, ToYear: now.Year(), Now: now}, func(int64) {})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(m.Stdout, "Generated %d demo cases (%d events).\n", n, events)
	}
	users := map[string]throughline.User{}
	fmt.Fprintln(m.Stdout, "Demo sign-ins (passwords and API tokens are new each start; set up an authenticator app at first sign-in):")
	for _, d := range demoUsers {
		u, token, err := demoUser(ctx, accounts, d.name, d.role, d.agency)
		if err != nil {
			return "", err
		}
		secret := make([]byte, 10)
		if _, err := rand.Read(secret); err != nil {
			return "", err
		}
		password := "demo-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret))
		if err := accounts.SetPassword(ctx, u.ID, d.login, password); err != nil {
			return "", err
		}
		a, err := accounts.Account(ctx, u.ID)
		if err != nil {
			return "", err
		}
		totp := "authenticator: set up at first sign-in"
		if a.TOTPEnrolled {
			totp = "authenticator: already set up"
		}
		users[d.role] = u
		fmt.Fprintf(m.Stdout, "  %-18s sign in as %-6s password %s  (%s)  API token %s\n", d.role, d.login, password, totp, token)
	}
	picked, err := demoTeams(ctx, s, users)
	if err != nil {
		return "", err
	}
	if err := demoDirectory(ctx, s, users, m.Now()); err != nil {
		return "", err
	}
	victim, err := demoVictim(ctx, s, picked)
	if err != nil {
		return "", err
	}
	return victim, demoFeedback(ctx, s, victim)
}

// demoUser finds the demo user with this name, role and agency (creating
// them if need be) and issues them a fresh API token, replacing the old.
func demoUser(ctx context.Context, accounts *identity.Service, name, role, agency string) (throughline.User, string, error) {
	all, err := accounts.Accounts(ctx)
	if err != nil {
		return throughline.User{}, "", err
	}
	for _, a := range all {
		if a.Name == name && a.Role == role && a.Agency == agency {
			token, err := accounts.IssueToken(ctx, a.ID)
			return a.User, token, err
		}
	}
	return accounts.AddUser(ctx, name, role, agency)
}

// casework counts the kinds of casework a case has to show: an action
// plan, a victim information request, special measures applied.
func casework(c *throughline.Case) int {
	n := 0
	if len(c.Plans) > 0 {
		n++
	}
	if slices.ContainsFunc(c.Complainants, func(cp throughline.Complainant) bool { return len(cp.Requests) > 0 }) {
		n++
	}
	if slices.ContainsFunc(c.Complainants, func(cp throughline.Complainant) bool { return len(cp.MeasuresApplied) > 0 }) {
		n++
	}
	return n
}

// demoTeams puts the demo users on the teams of some of West Yorkshire's
// open, charged cases: the officer and Witness Care in person, the
// prosecutor through a CPS team, the ISVA (with the victim's consent) on a
// few, the inspector on every second one. It can run on every start. It returns the
// cases picked, those with the ISVA first.
func demoTeams(ctx context.Context, s *sqlstore.Store, users map[string]throughline.User) ([]string, error) {
	// Every West Yorkshire case, a page at a time (a read returns at most
	// a thousand), oldest reference first.
	var cases []throughline.CaseSummary
	for after := ""; ; {
		page, err := s.Cases(ctx, throughline.CaseFilter{Forces: []string{"13"}, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		cases, after = append(cases, page...), page[len(page)-1].Ref
	}
	// A working caseload: open cases at every stage the demo users work on
	// (investigation, awaiting advice or a charging decision, charged,
	// sent for trial, at trial, awaiting sentence), a few of each, so that
	// every list of the today page has something real in it.
	perStage := map[string]int{throughline.StageInvestigation: 6, throughline.StagePreCharge: 8, throughline.StageCharged: 8,
		throughline.StageCrownCourt: 10, throughline.StageTrial: 4, throughline.StageConvicted: 4}
	// Within a stage, cases with more casework to show first: an action
	// plan, an information request, special measures.
	var open []throughline.CaseSummary
	work := map[string]int{}
	for _, c := range cases {
		if c.ClosedOn != "" || perStage[c.Stage] == 0 {
			continue
		}
		full, err := s.Case(ctx, c.Ref)
		if err != nil {
			return nil, err
		}
		work[c.Ref] = casework(full)
		open = append(open, c)
	}
	slices.SortStableFunc(open, func(a, b throughline.CaseSummary) int { return cmp.Compare(work[b.Ref], work[a.Ref]) })
	var picked []throughline.CaseSummary
	for _, c := range open {
		if perStage[c.Stage] > 0 {
			perStage[c.Stage]--
			picked = append(picked, c)
		}
	}
	// What each today page lists, if chance left it out (demo_today.go).
	picked, err := demoCustody(ctx, s, open, picked, s.Now())
	if err != nil {
		return nil, err
	}
	// Cases after charge first: the ISVA and the inspector are put on the
	// first few.
	slices.SortStableFunc(picked, func(a, b throughline.CaseSummary) int {
		return cmp.Compare(slices.Index(throughline.Stages, b.Stage), slices.Index(throughline.Stages, a.Stage))
	})
	// A hearing in the next fortnight on the inspector's cases (and so on
	// everyone's).
	var inspected []throughline.CaseSummary
	for i := 1; i < len(picked); i += 2 {
		inspected = append(inspected, picked[i])
	}
	if err := demoHearing(ctx, s, inspected, s.Now()); err != nil {
		return nil, err
	}
	admin := users[throughline.RoleAdmin].ID
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	var cpsTeam string
	for _, t := range teams {
		if t.Name == "RASSO unit" && t.Agency == "cps:yorkshire_humberside" {
			cpsTeam = t.ID
		}
	}
	if cpsTeam == "" {
		t, err := s.CreateTeam(ctx, admin, "RASSO unit", "cps:yorkshire_humberside")
		if err != nil {
			return nil, err
		}
		cpsTeam = t.ID
	}
	if err := s.SetTeamMember(ctx, admin, cpsTeam, users[throughline.RoleProsecutor].ID, true); err != nil {
		return nil, err
	}
	for i, c := range picked {
		for _, role := range []string{throughline.RoleOfficer, throughline.RoleWitnessCare} {
			if err := s.SetCaseMember(ctx, admin, c.Ref, "user", users[role].ID, true); err != nil {
				return nil, err
			}
		}
		if c.CPSArea == "yorkshire_humberside" {
			if err := s.SetCaseMember(ctx, admin, c.Ref, "team", cpsTeam, true); err != nil {
				return nil, err
			}
		}
		switch {
		case i < 5:
			isva := users[throughline.RoleISVA]
			if err := s.SetCaseMember(ctx, admin, c.Ref, "user", isva.ID, true); err != nil {
				return nil, err
			}
			if cs, err := s.Consents(ctx, c.Ref); err != nil {
				return nil, err
			} else if len(cs) == 0 {
				if err := s.RecordConsent(ctx, throughline.Consent{CaseRef: c.Ref, ComplainantID: "C1", ISVAAgency: isva.Agency, Given: true, Note: "demo: consent form signed", RecordedBy: users[throughline.RoleOfficer].ID}); err != nil {
					return nil, err
				}
			}
		}
		// The inspector samples every second case, at every stage.
		if i%2 == 1 {
			if err := s.SetCaseMember(ctx, admin, c.Ref, "user", users[throughline.RoleInspector].ID, true); err != nil {
				return nil, err
			}
		}
	}
	refs := summaryRefs(picked)
	if err := demoDesignations(ctx, s, refs); err != nil {
		return nil, err
	}
	if err := demoOverdueItem(ctx, s, users[throughline.RoleProsecutor], refs); err != nil {
		return nil, err
	}
	return refs, demoContact(ctx, s, users, refs)
}
