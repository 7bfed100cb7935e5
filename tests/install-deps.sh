#!/usr/bin/env bash
# Install what building and testing migrator needs, from Debian's packages
# (and npm later, for Liquibase and the container checkers, done by the tests themselves).
# Does nothing when every package is already installed.
#
#   tests/install-deps.sh              what building and testing needs
#   tests/install-deps.sh --reliability  and clang (libFuzzer runtime) and
#                                      valgrind, for tests/fuzz/run.sh and
#                                      tests/sanitize.sh
#   tests/install-deps.sh --coverage   and gcovr (MG_COVERAGE=1 tests/run-all.sh)
#   tests/install-deps.sh --lint       and clang-tidy and cppcheck (tests/lint.sh)
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: needs root or sudo for apt-get" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

PKGS=(build-essential cmake pkg-config ca-certificates
      libpq-dev libxml2-dev libyaml-dev libjansson-dev libssl-dev libunistring-dev libpcre2-dev zlib1g-dev libcmocka-dev
      postgresql postgresql-client time python3 python3-jsonschema python3-yaml groff-base bsdutils)
for arg in "$@"; do
    case "$arg" in
        --reliability) PKGS+=(clang libclang-rt-dev valgrind) ;;
        --coverage) PKGS+=(gcovr) ;;
        --lint) PKGS+=(clang-tidy cppcheck) ;;
        *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
    esac
done

# Java >= 11 for Liquibase 4.28 (Debian 12: openjdk 17); keep one that is already there
java_major() {
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\(\.[0-9]*\)*.*/\1/p' | head -n 1
}
JAVA_MAJOR=""
command -v java >/dev/null 2>&1 && JAVA_MAJOR=$(java_major)
# javac too: the compat suite compiles small oracles against liquibase-core.jar
if [ -z "$JAVA_MAJOR" ] || [ "$JAVA_MAJOR" -lt 11 ] || ! command -v javac >/dev/null 2>&1; then
    PKGS+=(default-jdk-headless)
    $SUDO mkdir -p /usr/share/man/man1 # openjdk's postinst fails without it on slim images
fi

# npm installs liquibase@4.28.0. A nodejs from another source (e.g. NodeSource) bundles npm
# and conflicts with Debian's npm package, so only ask for what is missing.
if ! command -v npm >/dev/null 2>&1; then
    command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
    PKGS+=(npm)
fi

missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "== dependencies: all installed"
    exit 0
fi
echo "== apt-get install ${missing[*]}"
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
