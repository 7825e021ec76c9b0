# Throughline. `make run` serves the demo; `make test` runs every test on
# SQLite and PostgreSQL; `make bench` runs the benchmarks; `make chaos` runs
# the long crash and fault tests (docs/adr/0016).
GO ?= go
# The Go toolchain every target builds and tests with: a patch release that
# fixes the standard-library vulnerabilities govulncheck reports on earlier
# 1.26 releases (docs/security.md). The go command fetches it from the module
# proxy on first use; a machine's own Go only starts it.
export GOTOOLCHAIN := go1.26.10
BIN := bin/throughline

.PHONY: run test bench build clean assets chaos

# assets: the GOV.UK and MoJ front-end packages from the npm registry
# (package-lock.json), copied into web/page/static/vendor for go:embed.
assets:
	bash scripts/assets.sh

build: assets
	$(GO) build -o $(BIN) ./cmd/throughline

run: build
	./$(BIN) serve --db sqlite:throughline.db --demo

test: assets
	bash scripts/test.sh

# chaos: serve killed 1,000 times under mixed load on each database,
# PostgreSQL restarted, the SMTP server down for minutes, the disk full.
# THROUGHLINE_CHAOS_KILLS and THROUGHLINE_CHAOS_SMTP_DOWN change the
# figures; make test runs the same tests bounded.
chaos: assets
	bash scripts/chaos.sh

bench: build
	bash bench/run.sh

clean:
	rm -rf bin throughline.db throughline.db-wal throughline.db-shm web/page/static/vendor
