#!/usr/bin/env python3
"""docker-compose.yml without Docker, for tests/integration/t1800-containers.sh.

  compose.py validate SCHEMA FILE
      FILE against the Compose Specification's JSON schema; prints each
      error as `path: message`, exits 1 if there is any.
  compose.py db FILE
      the `postgres` service's POSTGRES_USER, POSTGRES_PASSWORD and
      POSTGRES_DB, one a line.
  compose.py run FILE MIGRATOR CHANGELOGS BACKUPS HOST PORT
      runs MIGRATOR with the `migrate` service's command, working_dir and
      environment exactly as written, after the rewrites of MAPPING below;
      exits with its exit status.
"""
import os
import re
import subprocess
import sys

import jsonschema
import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def validate(schema_path, path):
    schema = load(schema_path)  # JSON is YAML
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.path))
    for e in errors:
        where = "/".join(str(p) for p in e.path) or "(top)"
        print(f"{path}: {where}: {e.message}")
    return 1 if errors else 0


def env_of(service):
    """A service's environment, given as a mapping or as a list of NAME=VALUE."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def db(path):
    env = env_of(load(path)["services"]["postgres"])
    for name in ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"):
        print(env[name])
    return 0


# What stands in for Docker, and the only changes made to the service as written:
#   - the database host: `postgres:5432` (the compose service and its port) becomes the
#     test's PostgreSQL, HOST:PORT;
#   - the volumes: a path under a volume's container side becomes the same path under the
#     folder that stands for it: the bind mount ./changelogs the repository's changelogs
#     (CHANGELOGS), the named volume `backups` an empty folder (BACKUPS).
# They apply to the arguments, the working_dir and the environment values. Each must match
# somewhere, so that a renamed host or mount fails the test instead of leaving a value that
# points at nothing here.
def mapping(service, changelogs, backups, host, port):
    stand_in = {"./changelogs": changelogs, "backups": backups}
    rules = [(re.compile(r"\bpostgres:5432\b"), f"{host}:{port}")]
    for v in service.get("volumes", []):
        source, target = v.split(":")[:2]
        # the mount point as a whole value or an option's value, alone or with a path below
        rules.append((re.compile(r"(?:^|(?<==))" + re.escape(target) + r"(?=/|$)"),
                      stand_in[source]))
    return rules


def run(path, migrator, changelogs, backups, host, port):
    service = load(path)["services"]["migrate"]
    rules = mapping(service, changelogs, backups, host, port)
    used = set()

    def rewrite(value):
        for pattern, new in rules:
            value, n = pattern.subn(lambda _m, new=new: new, value)
            if n:
                used.add(pattern.pattern)
        return value

    command = service["command"]
    if isinstance(command, str):
        command = command.split()
    argv = [migrator] + [rewrite(a) for a in command]
    cwd = rewrite(service["working_dir"])
    env = {k: rewrite(v) for k, v in env_of(service).items()}
    unused = [p.pattern for p, _ in rules if p.pattern not in used]
    if unused:
        print(f"compose.py: rewrites that matched nothing: {unused}", file=sys.stderr)
        return 2
    # the container's environment: the image's PATH and an empty home (the image's /work),
    # then the service's; none of the test harness's PG* variables
    env = {"PATH": os.environ["PATH"], "HOME": os.path.dirname(backups), **env}
    print("run:", " ".join(argv), "in", cwd, file=sys.stderr)
    return subprocess.run(argv, cwd=cwd, env=env, check=False).returncode


def main(argv):
    if len(argv) == 3 and argv[0] == "validate":
        return validate(argv[1], argv[2])
    if len(argv) == 2 and argv[0] == "db":
        return db(argv[1])
    if len(argv) == 7 and argv[0] == "run":
        return run(*argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
