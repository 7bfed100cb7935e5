#!/usr/bin/env python3
"""check-json.py SCHEMA_DIR NAME=REPORT...: validate migrator --output
json reports against their JSON Schemas, SCHEMA_DIR/NAME.json. Prints
"ok REPORT" or "FAIL REPORT: problem; ..." for each; exit 1 if any
failed. One process for all: Python's start-up is the slow part."""
import json
import os
import sys

import jsonschema


def problems(schema, path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except ValueError as e:
        return [f"not JSON: {e}"]
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
    return [("/".join(str(p) for p in e.path) or "(top)") + ": " + e.message
            for e in errors]


def main():
    failed = False
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        with open(os.path.join(sys.argv[1], name + ".json")) as f:
            schema = json.load(f)
        found = problems(schema, path)
        failed = failed or bool(found)
        print(("FAIL " + path + ": " + "; ".join(found)) if found else "ok " + path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
