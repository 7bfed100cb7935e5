#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the integration and compat tests.
#
#   pg-cluster.sh start DIR   initdb into DIR/data, start it, write DIR/env
#   pg-cluster.sh stop DIR    stop it (immediate) and remove DIR
#   pg-cluster.sh env DIR     print DIR/env (for eval)
#
# DIR/env holds shell lines that test-lib.sh sources:
#   export PGHOST=DIR/sock PGPORT=<port> PGUSER=postgres PGDATABASE=postgres
#   export MG_PG_TCP=127.0.0.1          (host name for TCP clients such as JDBC)
#
# Environment:
#   MIGRATOR_TEST_PGURL  postgresql://user[:password]@host[:port][/db] of an existing server;
#                        `start` then only writes DIR/env pointing to it and `stop` only
#                        removes DIR (databases the tests created are left behind).
#   MG_PG_BINDIR         directory holding initdb/pg_ctl (default: pg_config --bindir, then
#                        the newest /usr/lib/postgresql/*/bin, then $PATH).
#   MG_PG_PORT           port to use instead of a random free one.
#
# Without server binaries and without MIGRATOR_TEST_PGURL, `start` exits 77 (skipped).
# initdb refuses to run as root: as root the server runs as the `postgres` user (created as a
# system user if missing); the data and socket directories are owned by that user.
set -u

die() { echo "pg-cluster.sh: $*" >&2; exit 1; }

usage() { echo "usage: pg-cluster.sh start|stop|env DIR" >&2; exit 2; }

[ $# -eq 2 ] || usage
cmd=$1
DIR=$2
case "$DIR" in /*) ;; *) DIR=$PWD/$DIR ;; esac
DIR=${DIR%/}

find_bindir() {
    local d
    if [ -n "${MG_PG_BINDIR:-}" ]; then
        [ -x "$MG_PG_BINDIR/initdb" ] && { echo "$MG_PG_BINDIR"; return 0; }
        return 1
    fi
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null)
        [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    fi
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5 -V -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

# Run a command as the cluster owner ($RUNAS empty = the current user).  The working
# directory is one the owner can read (initdb complains otherwise).
as_owner() {
    if [ -n "$RUNAS" ]; then
        (cd / && runuser -u "$RUNAS" -- "$@")
    else
        "$@"
    fi
}

pick_owner() {
    RUNAS=""
    if [ "$(id -u)" = 0 ]; then
        RUNAS=${MG_PG_USER:-postgres}
        if ! id -u "$RUNAS" >/dev/null 2>&1; then
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$RUNAS" \
                || die "cannot create user $RUNAS"
        fi
    fi
}

port_in_use() {
    # succeeds when something accepts connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

random_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    return 1
}

# Stops whatever a previous run left in DIR (killed test run, crashed fixture) and removes it.
cleanup_dir() {
    local data base pid bindir
    [ -e "$DIR" ] || return 0
    base=""
    [ -f "$DIR/base" ] && base=$(cat "$DIR/base")
    data=$DIR/data
    [ -n "$base" ] && data=$base/data
    if [ -f "$data/postmaster.pid" ]; then
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
        bindir=$(find_bindir || true)
        if [ -n "$bindir" ]; then
            pick_owner
            as_owner "$bindir/pg_ctl" -D "$data" stop -m immediate -w -t 30 >/dev/null 2>&1 || true
        fi
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            # only the postmaster recorded in this data directory
            if grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
                kill -QUIT "$pid" 2>/dev/null
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    [ -n "$base" ] && case "$base" in /tmp/mg-pg.*) rm -rf "$base" ;; esac
    rm -rf "$DIR"
}

write_url_env() {
    # MIGRATOR_TEST_PGURL=postgresql://user[:password]@host[:port][/db][?params]
    local url=$MIGRATOR_TEST_PGURL rest userinfo hostport user pass host port db
    case "$url" in
        postgresql://*) rest=${url#postgresql://} ;;
        postgres://*) rest=${url#postgres://} ;;
        *) die "MIGRATOR_TEST_PGURL must be a postgresql://user[:password]@host[:port][/db] URL" ;;
    esac
    rest=${rest%%\?*}
    db=postgres
    case "$rest" in */*) db=${rest#*/}; rest=${rest%%/*} ;; esac
    [ -n "$db" ] || db=postgres
    userinfo=""
    case "$rest" in *@*) userinfo=${rest%@*}; hostport=${rest##*@} ;; *) hostport=$rest ;; esac
    user=${userinfo%%:*}
    pass=""
    case "$userinfo" in *:*) pass=${userinfo#*:} ;; esac
    [ -n "$user" ] || user=postgres
    host=${hostport%%:*}
    port=5432
    case "$hostport" in *:*) port=${hostport##*:} ;; esac
    [ -n "$host" ] || host=127.0.0.1
    mkdir -p "$DIR" || die "cannot create $DIR"
    {
        echo "# external server from MIGRATOR_TEST_PGURL"
        printf 'export PGHOST=%q PGPORT=%q PGUSER=%q PGDATABASE=%q\n' "$host" "$port" "$user" "$db"
        printf 'export PGPASSWORD=%q\n' "$pass"
        printf 'export MG_PG_TCP=%q\n' "$host"
        echo "export MG_PG_EXTERNAL=1"
    } > "$DIR/env.tmp" && mv "$DIR/env.tmp" "$DIR/env"
}

start() {
    local bindir base data sock port conf log
    cleanup_dir
    if [ -n "${MIGRATOR_TEST_PGURL:-}" ]; then
        write_url_env
        echo "pg-cluster.sh: using MIGRATOR_TEST_PGURL (no local cluster)"
        return 0
    fi
    if ! bindir=$(find_bindir); then
        echo "pg-cluster.sh: no PostgreSQL server binaries (initdb, pg_ctl) and MIGRATOR_TEST_PGURL unset: skipped" >&2
        exit 77
    fi
    pick_owner
    mkdir -p "$DIR" || die "cannot create $DIR"
    [ -n "$RUNAS" ] && chown "$RUNAS" "$DIR"
    base=$DIR
    # The owner must reach DIR (a build tree under /root is not reachable for `postgres`) and the
    # socket path must fit in sun_path (107 bytes); otherwise use a private directory in /tmp and
    # leave symlinks in DIR.
    if ! as_owner test -w "$DIR" || [ ${#DIR} -gt 80 ]; then
        base=$(mktemp -d /tmp/mg-pg.XXXXXX) || die "mktemp failed"
        [ -n "$RUNAS" ] && chown "$RUNAS" "$base"
        echo "$base" > "$DIR/base"
        ln -s "$base/data" "$DIR/data"
        ln -s "$base/sock" "$DIR/sock"
        ln -s "$base/postgres.log" "$DIR/postgres.log"
    fi
    data=$base/data
    sock=$base/sock
    log=$base/postgres.log
    as_owner mkdir -m 700 "$sock" || die "cannot create $sock"
    as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync \
        > "$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    conf=$data/postgresql.conf
    {
        echo "# added by pg-cluster.sh"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$sock'"
        echo "fsync = off"
        echo "full_page_writes = off"
        echo "synchronous_commit = off"
        echo "max_connections = 100"
        echo "shared_buffers = 64MB"
        echo "max_wal_size = 1GB"
        echo "log_min_messages = warning"
        echo "log_min_error_statement = panic"
    } >> "$conf"
    touch "$log"
    [ -n "$RUNAS" ] && chown "$RUNAS" "$log"
    for _ in 1 2 3 4 5; do
        port=${MG_PG_PORT:-$(random_port)} || die "no free port found"
        as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 -o "-p $port" start >/dev/null 2>&1 && break
        port=""
        [ -n "${MG_PG_PORT:-}" ] && break
        # a port taken between the check and the start: try another one
    done
    if [ -z "$port" ]; then
        tail -n 20 "$log" >&2
        die "the server did not start (log: $log)"
    fi
    {
        echo "# local cluster started by pg-cluster.sh"
        printf 'export PGHOST=%q PGPORT=%q PGUSER=postgres PGDATABASE=postgres\n' "$sock" "$port"
        echo "export PGPASSWORD="
        echo "export MG_PG_TCP=127.0.0.1"
        printf 'export MG_PG_DATA=%q MG_PG_BINDIR=%q\n' "$data" "$bindir"
    } > "$DIR/env.tmp" && mv "$DIR/env.tmp" "$DIR/env"
    echo "pg-cluster.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, socket $sock, data $data"
}

stop() {
    if [ -f "$DIR/env" ] && grep -q '^export MG_PG_EXTERNAL=1' "$DIR/env"; then
        rm -rf "$DIR"
        return 0
    fi
    cleanup_dir
    [ -e "$DIR" ] && die "could not remove $DIR"
    return 0
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    env)
        [ -f "$DIR/env" ] || die "$DIR/env not found (is the cluster started?)"
        cat "$DIR/env"
        ;;
    *) usage ;;
esac
