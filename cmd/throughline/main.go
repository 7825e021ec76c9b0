// Command throughline is the single binary of Throughline: one subcommand per
// file in this directory, each registering itself with register. The Main type
// holds everything a subcommand needs from the outside world, so end-to-end
// tests run the real commands in-process with their own streams and clock.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"
	"time"

	_ "time/tzdata" // Europe/London must resolve on machines without zoneinfo.
)

// Main is the process as the subcommands see it.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the wall clock; tests inject a fixed one.
	Now func() time.Time
	// Getenv reads the environment; tests inject their own.
	Getenv func(string) string
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, m *Main, args []string) error
}

var commands = map[string]command{}

// register adds a subcommand; each subcommand's file calls it from init.
func register(name, summary string, run func(ctx context.Context, m *Main, args []string) error) {
	if _, dup := commands[name]; dup {
		panic("duplicate subcommand " + name)
	}
	commands[name] = command{name: name, summary: summary, run: run}
}

// errUsage marks a usage error: exit code 2.
var errUsage = errors.New("usage")

// usagef reports a usage error with a message.
func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Getenv: os.Getenv}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Run runs one subcommand and returns the process exit code:
// 0 ok, 1 failure, 2 usage.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		m.usage(m.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(m.Stderr, "throughline: unknown command %q\n\n", args[0])
		m.usage(m.Stderr)
		return 2
	}
	err := cmd.run(ctx, m, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(m.Stderr, "throughline %s: %v\n", cmd.name, err)
		return 2
	default:
		fmt.Fprintf(m.Stderr, "throughline %s: %v\n", cmd.name, err)
		return 1
	}
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "Throughline: one shared, live record of a rape or serious sexual offence case.")
	fmt.Fprintln(w, "\nUsage: throughline <command> [flags]   (throughline <command> --help for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

// bulkMemory trades memory for speed in the bulk commands (import,
// generate, audit verify): the garbage collector runs a quarter as often. It returns the
// function that restores the previous setting.
func bulkMemory() func() {
	old := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(old) }
}

// flags returns a flag set for a subcommand that writes its help to m.Stderr
// and reports parse failures as usage errors.
func (m *Main) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: throughline %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// sub checks that args begin with a command's one subcommand (as in
// `audit verify`), answering --help with the synopsis, and returns the rest.
func (m *Main) sub(args []string, name, synopsis string) ([]string, error) {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(m.Stderr, "Usage: throughline "+synopsis)
		return nil, flag.ErrHelp
	}
	if len(args) == 0 || args[0] != name {
		return nil, usagef("takes one subcommand: %s", name)
	}
	return args[1:], nil
}

// parse parses args, turning a bad flag into a usage error and --help into
// flag.ErrHelp (exit 0). Positional arguments are refused unless allowed.
func parse(fs *flag.FlagSet, args []string, positional int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > positional {
		return usagef("unexpected argument %q", fs.Arg(positional))
	}
	return nil
}
