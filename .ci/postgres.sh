#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite (sourced by .ci/run; usable by hand as root):
#   source .ci/postgres.sh && pg_throwaway_start && ... && pg_throwaway_stop
# Debian's server binaries, a cluster owned by the `postgres` user (initdb refuses root) in a
# fresh folder, listening only on 127.0.0.1, with a password role over TCP (scram).
# Exports TEST_DATABASE_URL for the app-postgres vitest project.
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
# A free loopback port unless PG_PORT is given (another cluster may hold a fixed one).
PG_PORT="${PG_PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"

pg_throwaway_install() {
  if [ -x "$PG_BIN/initdb" ]; then return 0; fi
  echo "== installing postgresql (apt)"
  # policy-rc.d exit 101: Debian's package must not start (or create) its own cluster here.
  local had_policy=0
  [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ "$had_policy" = 1 ] || printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
  [ "$had_policy" = 1 ] || rm -f /usr/sbin/policy-rc.d
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
}

pg_throwaway_start() {
  pg_throwaway_install
  PG_DIR="$(mktemp -d /tmp/csd-relay-pg.XXXXXX)"
  chown postgres "$PG_DIR"
  local password
  password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  printf '%s\n' "$password" > "$PG_DIR/.pw"
  chown postgres "$PG_DIR/.pw"
  chmod 600 "$PG_DIR/.pw"
  # C collation: text compares byte-wise, as SQLite does (ISO times and ids sort the same).
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C --pwfile="$PG_DIR/.pw" >/dev/null
  # fsync off: a throw-away cluster never has to survive a crash, and the suite creates many schemas.
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  runuser -u postgres -- "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -qAt \
    -c "create role csd_relay login createdb password '$password'" \
    -c "create database csd_relay_test owner csd_relay" >/dev/null
  export TEST_DATABASE_URL="postgres://csd_relay:$password@127.0.0.1:$PG_PORT/csd_relay_test"
  export PG_DIR
  echo "== postgresql $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_throwaway_stop() {
  [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
