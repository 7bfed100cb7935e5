#!/usr/bin/env python3
"""Crash safety of migrator: kill it (SIGKILL) or the server (immediate
shutdown) at random points of an update and of a rollback-count, then check
that the database is exactly what a clean run leaves after as many
changesets, and that the next run finishes the work.

Run by tests/integration/t1600-chaos.sh (small, in CI) and
tests/stress/chaos.sh (1,000 changesets, 200 + 200 kills). It needs a
cluster of its own (the server is killed and restarted): PGHOST, PGPORT,
PGUSER, MG_PG_DATA, MG_PG_BINDIR and MG_PG_LOG as pg-cluster.sh leaves
them, and a migrator binary.

Points of a kill (one per trial, chosen at random):
  time      a random delay from the start of the process (connect, lock,
            history, parse, any changeset)
  stmt      as soon as the server logs the migrator's Nth statement
  commit    as soon as the server logs the Nth COMMIT (between changesets)
  intxn     inside a changeset's transaction: a session of ours holds a
            SHARE lock on DATABASECHANGELOG, so the changeset's statements
            ran and its bookkeeping row waits (migrator's sessions set
            client_connection_check_interval = 1 s: the server notices the
            dead client while it waits)
  lockwait  while the migration lock is taken: a session of ours holds
            the lock row FOR UPDATE (the compare-and-set waits), or a
            second runner polls the advisory lock that a first one holds
  loaddata  while loadData streams its batches
  pgcrash   pg_ctl stop -m immediate at a random time; restarted after
            the runner has exited

After each trial: no other session in the database, then k = rows of
DATABASECHANGELOG must be the first k changesets in order, and the dump of
the database (schema and rows, bookkeeping tables aside) must equal the
dump of a reference database brought to k changesets by clean runs.
"""
import argparse
import os
import random
import re
import signal
import subprocess
import sys
import time

DB = "chaos"
LOAD_INSERT = re.compile(r'INSERT INTO (\w+\.)?"?chaos_big\b')
REF = "chaos_ref"
CLEAN = "chaos_clean"


def log(msg):
    print(msg, flush=True)


def psql(db, sql, check=True):
    r = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                       capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"psql {db}: {sql[:200]}: {r.stderr.strip()}")
    return r.stdout.strip()


# per-database settings, made again with each database: the statements of
# the runners in the log, and durable commits in the database under test
# (the cluster's synchronous_commit=off would lose acknowledged commits in
# an immediate shutdown; fsync=off is harmless: the OS does not crash)
SETTINGS = {DB: ["log_statement = 'all'", "synchronous_commit = on"],
            REF: ["log_statement = 'all'"]}


def recreate(db):
    psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql("postgres", f'CREATE DATABASE "{db}"')
    for s in SETTINGS.get(db, []):
        psql("postgres", f'ALTER DATABASE "{db}" SET {s}')


def url(db):
    return f"postgresql://{os.environ['PGUSER']}@127.0.0.1:{os.environ['PGPORT']}/{db}"


def dump(db):
    """Schema and rows, without the bookkeeping tables, in a stable form."""
    r = subprocess.run(["pg_dump", "-d", db, "--no-owner", "--no-privileges",
                        "-T", "databasechangelog", "-T", "databasechangeloglock"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"pg_dump {db}: {r.stderr.strip()}")
    return "\n".join(l for l in r.stdout.splitlines()
                     if not l.startswith(("-- Dumped ", "\\restrict", "\\unrestrict")))


def history(db):
    """Ids of DATABASECHANGELOG in ORDEREXECUTED order ([] without the table)."""
    if psql(db, "SELECT to_regclass('databasechangelog') IS NOT NULL") != "t":
        return []
    out = psql(db, "SELECT id || '|' || orderexecuted FROM databasechangelog ORDER BY orderexecuted")
    return [l.split("|") for l in out.splitlines() if l]


def rows(db):
    """The bookkeeping columns a clean run must match (dates and deployment aside)."""
    return psql(db, "SELECT id, author, filename, md5sum, description, comments, exectype, "
                    "contexts, labels, orderexecuted, tag, liquibase FROM databasechangelog "
                    "ORDER BY orderexecuted")


def lock_state(db):
    """(lock row locked?, advisory locks held on db)."""
    locked = ""
    if psql(db, "SELECT to_regclass('databasechangeloglock') IS NOT NULL") == "t":
        locked = psql(db, "SELECT string_agg(locked::text, ',') FROM databasechangeloglock")
    adv = psql("postgres", "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                           f"database = (SELECT oid FROM pg_database WHERE datname = '{db}')")
    return locked, int(adv)


def others(db):
    return int(psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE "
                                f"datname = '{db}' AND pid <> pg_backend_pid()"))


def wait_alone(db, limit=120):
    t0 = time.time()
    while others(db):
        if time.time() - t0 > limit:
            raise RuntimeError(f"sessions still open on {db} after {limit} s")
        time.sleep(0.05)


# --- the changelog ---------------------------------------------------------

def col(name, typ, extra=""):
    return f'<column name="{name}" type="{typ}"{extra}/>'


def create_table(name, *cols):
    """createTable with an int primary key "id" and the given columns."""
    return (f'<createTable tableName="{name}">'
            '<column name="id" type="int"><constraints primaryKey="true"/></column>'
            + "".join(cols) + "</createTable>")


def gen_changelog(path, n, load_rows, seed):
    """n changesets, each with a rollback (automatic or written), none using
    a sequence's nextval (a killed transaction would advance it, and the
    rows of a resumed run would differ from a clean run's for a reason that
    is the server's, not the runner's)."""
    rnd = random.Random(seed)
    tables = []          # [name, ncols, next id]
    ids = []
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">']
    load_at = n // 2 if load_rows else -1
    for i in range(n):
        cid = f"c{i:05d}"
        ids.append(cid)
        body = []
        if i == load_at:
            body.append(create_table("chaos_big", col("label", "varchar(80)"), col("amount", "numeric(12,2)")))
            body.append('<loadData tableName="chaos_big" file="big.csv" relativeToChangelogFile="true">'
                        '<column name="id" type="NUMERIC"/><column name="label" type="STRING"/>'
                        '<column name="amount" type="NUMERIC"/></loadData>')
            body.append('<rollback><dropTable tableName="chaos_big"/></rollback>')
        else:
            kind = rnd.choices(["table", "column", "index", "insert", "update", "fk",
                                "view", "sequence", "multi", "tag"],
                               [18, 14, 10, 20, 10, 8, 6, 4, 8, 2])[0] if tables else "table"
            t = rnd.choice(tables) if tables else None
            if kind == "table":
                name = f"t{i:05d}"
                body.append(create_table(name, col("name", "varchar(50)"),
                                         col("qty", "int", ' defaultValueNumeric="0"')))
                tables.append([name, 0, 1])
            elif kind == "column":
                t[1] += 1
                body.append(f'<addColumn tableName="{t[0]}">' + col(f"x{i}", "varchar(20)") + "</addColumn>")
            elif kind == "index":
                body.append(f'<createIndex tableName="{t[0]}" indexName="ix{i:05d}">'
                            '<column name="name"/></createIndex>')
            elif kind == "insert":
                first = t[2]
                for r in range(3):
                    body.append(f'<insert tableName="{t[0]}"><column name="id" valueNumeric="{t[2]}"/>'
                                f'<column name="name" value="r{i}-{r} é"/></insert>')
                    t[2] += 1
                body.append(f'<rollback><delete tableName="{t[0]}"><where>id BETWEEN {first} AND {t[2] - 1}'
                            '</where></delete></rollback>')
            elif kind == "update":
                body.append(f'<sql>UPDATE {t[0]} SET qty = qty + {i % 7 + 1}</sql>')
                body.append(f'<rollback><sql>UPDATE {t[0]} SET qty = qty - {i % 7 + 1}</sql></rollback>')
            elif kind == "fk":
                child = f"k{i:05d}"
                body.append(create_table(child, col("parent_id", "int")))
                body.append(f'<addForeignKeyConstraint baseTableName="{child}" baseColumnNames="parent_id" '
                            f'referencedTableName="{t[0]}" referencedColumnNames="id" constraintName="fk{i:05d}"/>')
            elif kind == "view":
                body.append(f'<createView viewName="v{i:05d}">SELECT id, name FROM {t[0]}</createView>')
            elif kind == "sequence":
                body.append(f'<createSequence sequenceName="s{i:05d}" startValue="{i}"/>')
            elif kind == "multi":
                name = f"m{i:05d}"
                body.append(create_table(name, col("note", "text")))
                body.append(f'<insert tableName="{name}"><column name="id" valueNumeric="1"/>'
                            '<column name="note" value="first"/></insert>')
                body.append(f'<createIndex tableName="{name}" indexName="mx{i:05d}"><column name="note"/></createIndex>')
                body.append(f'<sql>UPDATE {name} SET note = note || \'!\'</sql>')
                body.append(f'<rollback><dropTable tableName="{name}"/></rollback>')
            else:
                body.append(f'<tagDatabase tag="tag{i}"/>')
        out.append(f'<changeSet id="{cid}" author="chaos">' + "".join(body) + "</changeSet>")
    out.append("</databaseChangeLog>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    if load_rows:
        with open(os.path.join(os.path.dirname(path), "big.csv"), "w") as f:
            f.write("id,label,amount\n")
            for r in range(1, load_rows + 1):
                f.write(f"{r},row {r} ünïcode {rnd.randrange(10**6)},{rnd.randrange(10**8) / 100:.2f}\n")
    return ids


# --- the server --------------------------------------------------------------

def as_owner(argv):
    if os.getuid() == 0:
        return ["runuser", "-u", os.environ.get("MG_PG_USER", "postgres"), "--"] + argv
    return argv


def pg_ctl(*args):
    argv = [os.path.join(os.environ["MG_PG_BINDIR"], "pg_ctl"), "-D", os.environ["MG_PG_DATA"]] + list(args)
    r = subprocess.run(as_owner(argv), capture_output=True, text=True, cwd="/")
    if r.returncode != 0:
        raise RuntimeError(f"pg_ctl {' '.join(args)}: {r.stdout}{r.stderr}")


def pg_crash():
    pg_ctl("stop", "-m", "immediate", "-w", "-t", "60")


def pg_start():
    pg_ctl("start", "-w", "-t", "120", "-l", os.environ["MG_PG_LOG"],
           "-o", f"-p {os.environ['PGPORT']}")


class ServerLog:
    """The server log from the start of a trial: the migrator's statements."""
    STMT = re.compile(r"^\S+ \S+ \S+ \d+ \[migrator\] LOG:  (?:statement|execute [^:]*): (.*)$")

    def __init__(self, path):
        self.path = path
        open(path, "w").close()    # pg_ctl -l appends: truncating is safe
        self.f = open(path, errors="replace")
        self.partial = ""

    def statements(self):
        """New statements since the last call."""
        out = []
        while True:
            chunk = self.f.readline()
            if not chunk:
                break
            if not chunk.endswith("\n"):
                self.partial += chunk
                continue
            line, self.partial = self.partial + chunk, ""
            m = self.STMT.match(line)
            if m:
                out.append(m.group(1))
        return out

    def close(self):
        self.f.close()


# --- a trial -------------------------------------------------------------------

class Blocker:
    """A psql session that takes a lock and holds it until released."""

    def __init__(self, db, sql):
        self.p = subprocess.Popen(["psql", "-XAtq", "-d", db], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.p.stdin.write("BEGIN;\n" + sql + ";\nSELECT 1;\n")
        self.p.stdin.flush()

    def release(self):
        try:
            self.p.stdin.write("COMMIT;\n\\q\n")
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        self.p.wait(timeout=60)


def waiting_runners(db):
    return int(psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE "
                                f"datname = '{db}' AND application_name = 'migrator' "
                                "AND wait_event_type = 'Lock'"))


class Chaos:
    def __init__(self, a):
        self.a = a
        self.rnd = random.Random(a.seed)
        self.work = a.work
        self.changelog = os.path.join(self.work, "changelog.xml")
        self.ids = gen_changelog(self.changelog, a.changesets, a.load_rows, a.seed)
        self.n = len(self.ids)
        self.cache = {}         # (phase, k) -> dump
        self.ref_k = None
        self.ref_phase = None
        self.failures = []
        self.stats = {}
        self.stale_after_kill = 0
        self.waits = []
        self.serverlog = None

    # migrator
    def argv(self, cmd, db, *extra):
        return [self.a.migrator, cmd, f"--changelog-file={self.changelog}", f"--url={url(db)}"] + list(extra)

    def run(self, cmd, db, *extra):
        r = subprocess.run(self.argv(cmd, db, *extra), capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            raise RuntimeError(f"migrator {cmd} {' '.join(extra)} on {db}: exit {r.returncode}: {r.stderr[-2000:]}")
        return r

    def fail(self, what):
        self.failures.append(what)
        log(f"FAIL: {what}")

    # the reference: a database brought to k changesets by clean runs
    def reference(self, phase, k):
        key = (phase, k)
        if key in self.cache:
            return self.cache[key]
        if phase == "update":
            if self.ref_phase != phase or self.ref_k is None or self.ref_k > k:
                recreate(REF)
                self.ref_k, self.ref_phase = 0, phase
            if k > self.ref_k:
                self.run("update-count", REF, f"--count={k - self.ref_k}")
        else:
            if self.ref_phase != phase or self.ref_k is None or self.ref_k < k:
                recreate(REF)
                self.run("update", REF)
                self.ref_k, self.ref_phase = self.n, phase
            if k < self.ref_k:
                self.run("rollback-count", REF, f"--count={self.ref_k - k}")
        self.ref_k = k
        self.cache[key] = dump(REF)
        return self.cache[key]

    def check(self, phase, label):
        h = history(DB)
        k = len(h)
        want = [[self.ids[i], str(i + 1)] for i in range(k)]
        if h != want:
            self.fail(f"{label}: DATABASECHANGELOG is not the first {k} changesets in order: "
                      f"{[x for x in h if x not in want][:3]}")
            return k
        got = dump(DB)
        if got != self.reference(phase, k):
            ref = self.cache[(phase, k)].splitlines()
            diff = [l for l in got.splitlines() if l not in ref][:3] + \
                   ["-" + l for l in ref if l not in got.splitlines()][:3]
            nxt = "applied but unrecorded" if k < self.n and got == self.reference(phase, k + 1) else \
                  "recorded but unapplied" if k > 0 and got == self.reference(phase, k - 1) else "different"
            self.fail(f"{label}: the database at {k} changesets differs from a clean run ({nxt}): {diff}")
        locked, adv = lock_state(DB)
        if adv:
            self.fail(f"{label}: {adv} advisory lock(s) held with no runner alive")
        if "true" in locked:
            self.stale_after_kill += 1
        return k

    # one trial: start the command, wait for the trigger, kill
    def trial(self, phase, mode, k):
        if phase == "update":
            argv = self.argv("update", DB)
        else:
            argv = self.argv("rollback-count", DB, f"--count={k}")
        slog = ServerLog(os.environ["MG_PG_LOG"])
        blockers, extra_procs = [], []
        if mode == "intxn":
            blockers.append(Blocker(DB, "LOCK TABLE databasechangelog IN SHARE MODE"))
        elif mode == "lockwait-row":
            blockers.append(Blocker(DB, "SELECT * FROM databasechangeloglock FOR UPDATE"))
        elif mode == "lockwait-poll":
            blockers.append(Blocker(DB, "LOCK TABLE databasechangelog IN SHARE MODE"))
        time.sleep(0.1)
        t0 = time.time()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        victim = p
        fired = False
        deadline = t0 + self.a.trial_timeout

        def alive():
            return p.poll() is None

        if mode in ("time", "pgcrash"):
            delay = self.rnd.uniform(0, self.full_time * (k / self.n if phase == "rollback" else
                                                          max(0.05, 1 - k / self.n)) * 1.1)
            while alive() and time.time() - t0 < delay:
                time.sleep(0.002)
            fired = alive()
        elif mode in ("stmt", "commit", "loaddata"):
            # the Nth statement, COMMIT, or INSERT batch of the loadData
            left = self.n - k if phase == "update" else k
            target = self.rnd.randint(1, max(1, {"stmt": self.stmt_count(phase, k), "commit": left,
                                                 "loaddata": self.load_batches}[mode]))
            seen = 0
            while alive() and time.time() < deadline and seen < target:
                for s in slog.statements():
                    if mode == "stmt" or (mode == "commit" and s == "COMMIT") or \
                       (mode == "loaddata" and LOAD_INSERT.match(s)):
                        seen += 1
                time.sleep(0.001)
            fired = alive()
        elif mode in ("intxn", "lockwait-row", "lockwait-poll"):
            while alive() and waiting_runners(DB) == 0 and time.time() < deadline:
                time.sleep(0.01)
            if mode == "lockwait-poll" and alive():
                # a second runner now polls the advisory lock the first holds
                q = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                extra_procs.append(p)
                victim = q
                time.sleep(self.rnd.uniform(0.05, 1.5))
                if q.poll() is not None:
                    self.fail(f"{phase}/{mode}: the second runner did not wait: exit {q.returncode}: "
                              f"{q.stderr.read()[-500:]}")
            else:
                time.sleep(self.rnd.uniform(0, 0.3))
            fired = victim.poll() is None
        if fired and mode == "pgcrash":
            pg_crash()
            try:
                p.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.fail(f"{phase}/pgcrash: the runner hung after the server died")
                p.kill()
                p.wait()
            err = p.stderr.read()
            if p.returncode == 0:
                pass   # it had finished its last commit: allowed
            elif "migrator: error:" not in err:
                self.fail(f"{phase}/pgcrash: no clear error: exit {p.returncode}: {err[-500:]}")
            pg_start()
        elif fired:
            for q in [victim] + extra_procs:
                if q.poll() is None:
                    q.send_signal(signal.SIGKILL)
                q.wait()
        for b in blockers:
            b.release()
        for q in [p, victim] + extra_procs:
            if q.poll() is None:
                q.wait(timeout=self.a.trial_timeout)
        if not fired:
            # it finished before the trigger: it must have succeeded
            for q in {p, victim}:
                if q.returncode not in (0, -9):
                    self.fail(f"{phase}/{mode}: exit {q.returncode} without a kill: {q.stderr.read()[-800:]}")
        slog.close()
        wait_alone(DB)
        return fired

    def stmt_count(self, phase, k):
        left = self.n - k if phase == "update" else k
        return int(self.stmts_per_changeset * left) + 5

    def finish_and_compare(self, phase):
        """An uninterrupted run to the end, then the database against a clean run's."""
        if phase == "update":
            self.run("update", DB)
            want_rows, want_dump = self.clean_rows, self.clean_dump
        else:
            # with k = 0 too: the run takes over a lock row a killed runner left
            self.run("rollback-count", DB, f"--count={len(history(DB))}")
            want_rows, want_dump = "", self.clean_rb_dump
        got_rows = rows(DB) if history(DB) else ""
        if got_rows != want_rows:
            self.fail(f"{phase}: after the final run DATABASECHANGELOG differs from a clean run's")
        if dump(DB) != want_dump:
            self.fail(f"{phase}: after the final run the database differs from a clean run's")
        locked, adv = lock_state(DB)
        if "true" in locked or adv:
            self.fail(f"{phase}: a lock is left after the final run (row {locked}, advisory {adv})")

    def phase(self, phase, kills, crashes):
        modes = ["time", "stmt", "commit", "intxn", "lockwait-row", "lockwait-poll"]
        weights = [30, 25, 15, 12, 8, 10]
        if self.a.load_rows and phase == "update":
            modes.append("loaddata")
            weights.append(10)
        # which kills are server crashes: spread at random over the phase
        crash_at = set(self.rnd.sample(range(kills + crashes), crashes))
        done = cycles = 0
        trials = 0
        while done < kills + crashes:
            k = len(history(DB))
            if phase == "update" and k == self.n:
                self.finish_and_compare("update")
                recreate(DB)
                cycles += 1
                continue
            if phase == "rollback" and k == 0:
                self.finish_and_compare("rollback")
                self.run("update", DB)
                cycles += 1
                continue
            if done in crash_at:
                mode = "pgcrash"
            else:
                mode = self.rnd.choices(modes, weights)[0]
            if mode.startswith(("intxn", "lockwait")) and \
               psql(DB, "SELECT to_regclass('databasechangeloglock') IS NOT NULL") != "t":
                mode = "time"
            if mode == "loaddata" and k > self.n // 2:
                mode = "stmt"
            fired = self.trial(phase, mode, k)
            trials += 1
            label = f"{phase} trial {trials} ({mode}, from {k})"
            k2 = self.check(phase, label)
            key = (phase, mode if fired else mode + " (ran out)")
            self.stats[key] = self.stats.get(key, 0) + 1
            if fired:
                done += 1
            if self.a.verbose:
                log(f"{label}: {'killed' if fired else 'finished'} at {k2}")
            if done and done % 25 == 0 and fired:
                log(f"{phase}: {done} kills, {len(self.failures)} failures")
        if phase == "update":
            self.finish_and_compare("update")
        else:
            self.finish_and_compare("rollback")
        return cycles, trials

    def main(self):
        recreate(CLEAN)
        t0 = time.time()
        self.run("update", CLEAN)
        self.full_time = time.time() - t0
        self.clean_rows, self.clean_dump = rows(CLEAN), dump(CLEAN)
        # statements per changeset, for stmt kill points
        slog = ServerLog(os.environ["MG_PG_LOG"])
        recreate(REF)
        self.run("update", REF)
        stmts = slog.statements()
        self.stmts_per_changeset = max(1.0, len(stmts) / self.n)
        self.load_batches = sum(1 for s in stmts if LOAD_INSERT.match(s))
        slog.close()
        self.ref_k, self.ref_phase = self.n, "update"
        self.cache[("update", self.n)] = dump(REF)
        self.run("rollback-count", CLEAN, f"--count={self.n}")
        self.clean_rb_dump = dump(CLEAN)
        self.cache[("rollback", 0)] = self.clean_rb_dump
        log(f"chaos: seed {self.a.seed}, {self.n} changesets ({self.a.load_rows} loadData rows in "
            f"{self.load_batches} INSERTs), clean update "
            f"{self.full_time:.2f} s, {self.stmts_per_changeset:.1f} statements a changeset")
        recreate(DB)
        t1 = time.time()
        c1, t_up = self.phase("update", self.a.kills, self.a.pg_crashes)
        c2, t_rb = self.phase("rollback", self.a.rollback_kills, self.a.pg_crashes)
        for (ph, mode), c in sorted(self.stats.items()):
            log(f"chaos: {ph:8} {mode:24} {c:4} {'trials' if 'out' in mode else 'kills'}")
        log(f"chaos: update {t_up} trials ({c1} full cycles), rollback-count {t_rb} trials ({c2} cycles), "
            f"{self.stale_after_kill} times a lock row was left by a killed runner and taken over by the next, "
            f"{len(self.failures)} failures, {time.time() - t1:.0f} s")
        for db in (DB, REF, CLEAN):
            psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', check=False)
        return 1 if self.failures else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--migrator", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--changesets", type=int, default=1000)
    ap.add_argument("--load-rows", type=int, default=20000)
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--rollback-kills", type=int, default=200)
    ap.add_argument("--pg-crashes", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trial-timeout", type=float, default=300)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    for v in ("PGHOST", "PGPORT", "PGUSER", "MG_PG_DATA", "MG_PG_BINDIR", "MG_PG_LOG"):
        if v not in os.environ:
            sys.exit(f"chaos.py: {v} is not set")
    psql("postgres", "ALTER SYSTEM SET log_line_prefix = '%m %p [%a] '")
    psql("postgres", "ALTER SYSTEM SET log_min_messages = 'warning'")
    psql("postgres", "SELECT pg_reload_conf()")
    for db in (DB, REF, CLEAN):
        recreate(db)
    sys.exit(Chaos(a).main())


if __name__ == "__main__":
    main()
