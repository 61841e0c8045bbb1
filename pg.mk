# pg.mk: a throwaway PostgreSQL for the server's PostgreSQL backend and
# its tests (included by the Makefile; `make -f pg.mk pg-start` works on
# its own). Debian's postgresql package; initdb refuses root, so as root
# the cluster belongs to the postgres user.
#
#   make pg-start    start a cluster in $(PG_DIR) on 127.0.0.1:$(PG_PORT),
#                    create database $(PG_DB), print DANVAN_TEST_PG
#   make pg-stop     stop it (the data directory stays; rm -rf it to start over)
#
#   export DANVAN_TEST_PG=$$(make -s pg-url)   then go test ./sync/ runs
#   the storage suite against PostgreSQL as well as Badger.

PG_BIN  ?= $(firstword $(wildcard /usr/lib/postgresql/*/bin))
# As root the cluster belongs to postgres, who may not reach $(CURDIR).
PG_DIR  ?= $(if $(filter 0,$(shell id -u)),/tmp/danvan-pg-$(PG_PORT),$(CURDIR)/.pg)
PG_PORT ?= 55432
PG_DB   ?= danvan_test
PG_USER  = $(shell [ "$$(id -u)" -eq 0 ] && echo postgres || id -un)
PG_AS    = $(shell [ "$$(id -u)" -eq 0 ] && echo "runuser -u postgres --")

.PHONY: pg-start pg-stop pg-url
pg-start:
	@if [ -z "$(PG_BIN)" ]; then echo "PostgreSQL not installed: sudo apt-get install -y postgresql"; exit 1; fi
	@mkdir -p '$(PG_DIR)'
	@[ "$$(id -u)" -ne 0 ] || chown postgres '$(PG_DIR)'
	@if [ ! -f '$(PG_DIR)/PG_VERSION' ]; then \
		$(PG_AS) $(PG_BIN)/initdb -D '$(PG_DIR)' -U $(PG_USER) -A trust -E UTF8 --no-locale >/dev/null; \
	fi
	@if ! $(PG_AS) $(PG_BIN)/pg_ctl -D '$(PG_DIR)' status >/dev/null 2>&1; then \
		$(PG_AS) $(PG_BIN)/pg_ctl -D '$(PG_DIR)' -l '$(PG_DIR)/log' -w \
			-o "-c listen_addresses=127.0.0.1 -p $(PG_PORT) -k '$(PG_DIR)' -c max_connections=300 -c fsync=on" start >/dev/null; \
	fi
	@$(PG_AS) $(PG_BIN)/psql -h 127.0.0.1 -p $(PG_PORT) -U $(PG_USER) -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname='$(PG_DB)'" | grep -q 1 || \
		$(PG_AS) $(PG_BIN)/createdb -h 127.0.0.1 -p $(PG_PORT) -U $(PG_USER) $(PG_DB)
	@echo "PostgreSQL on 127.0.0.1:$(PG_PORT), database $(PG_DB):"
	@echo "  export DANVAN_TEST_PG=postgres://$(PG_USER)@127.0.0.1:$(PG_PORT)/$(PG_DB)?sslmode=disable"

pg-stop:
	@$(PG_AS) $(PG_BIN)/pg_ctl -D '$(PG_DIR)' -m fast stop

pg-url:
	@echo "postgres://$(PG_USER)@127.0.0.1:$(PG_PORT)/$(PG_DB)?sslmode=disable"
