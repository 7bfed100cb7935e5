#!/usr/bin/env bash
# Packaging: `cmake --install` into a temporary prefix puts the binary, the
# man page and the bash and zsh completions in place, and the installed
# binary prints the commit it was built from; the man page names every
# command of `--help`; the bash completion completes commands, flags and
# backup's sub-commands; CPack's .deb, unpacked with dpkg-deb into a clean
# folder, runs, and its control file lists the package of every shared
# library the binary links. Needs no database (test-lib starts one anyway).
. "$(dirname "$0")/../lib/test-lib.sh"

build=$(cd "$(dirname "$MIGRATOR")" && pwd)
[ -f "$build/CPackConfig.cmake" ] || skip "no CPackConfig.cmake in $build"
work=$(mktemp -d)
at_exit "rm -rf '$work'"

# --- cmake --install --------------------------------------------------------

run cmake --install "$build" --prefix "$work/prefix"
assert_eq 0 "$RC" "cmake --install succeeds"
[ "$RC" = 0 ] || printf '%s\n' "$ERR" | head -5
for f in bin/migrator share/man/man1/migrator.1 \
    share/bash-completion/completions/migrator share/zsh/site-functions/_migrator; do
    [ -s "$work/prefix/$f" ] && pass "installs $f" || fail "installs $f"
done

# the commit: one of this repository's when built from a git checkout
run "$work/prefix/bin/migrator" --version
assert_eq 0 "$RC" "the installed migrator --version runs"
commit=$(printf '%s\n' "$OUT" | sed -n 's/^migrator [0-9.]* (commit \([0-9a-z]*\), Liquibase .* compatible)$/\1/p')
if [ -z "$commit" ]; then
    fail "--version names a commit: $OUT"
elif [ "$(git -C "$MG_SRC" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$MG_SRC" && pwd -P)" ]; then
    git -C "$MG_SRC" cat-file -e "$commit^{commit}" 2>/dev/null &&
        pass "--version prints commit $commit of this checkout" ||
        fail "--version prints '$commit', not a commit of $MG_SRC"
else
    assert_eq unknown "$commit" "--version outside a git checkout says commit unknown"
fi

# --- the man page: every command of --help, and man renders it -------------

commands=$("$MIGRATOR" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}')
[ "$(printf '%s\n' "$commands" | wc -l)" -gt 20 ] && pass "--help lists the commands" ||
    fail "--help lists the commands"
man=$(MANWIDTH=100 man -l "$work/prefix/share/man/man1/migrator.1" 2>&1)
missing=""
for c in $commands; do
    grep -qx "   $c" <<<"$man" || missing="$missing $c"
done
assert_eq "" "$missing" "the man page has a section for every command"
assert_contains "$man" "--changelog-file=FILE" "the man page lists the options"
assert_contains "$man" "backup prune --keep=N" "the man page has each command's own options"
warn=$(groff -man -ww -z "$work/prefix/share/man/man1/migrator.1" 2>&1)
assert_eq "" "$warn" "groff reads the man page without warnings"

# --- completions --------------------------------------------------------------

complete_words() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _migrator
        printf "%s\n" "${COMPREPLY[@]}"' _ "$work/prefix/share/bash-completion/completions/migrator" "$@"
}
assert_eq "$(printf '%s\n' rollback-one-changeset rollback-one-changeset-sql \
    rollback-one-update rollback-one-update-sql)" "$(complete_words migrator rollback-one)" \
    "bash completes command names"
assert_eq "--changelog-file=" "$(complete_words migrator --url x update --chan)" \
    "bash completes a command's flags after global options"
assert_eq "--require-backup=" "$(complete_words migrator update --require)" \
    "bash completes a command's own flags"
assert_eq "" "$(complete_words migrator status --require)" \
    "bash offers no flag the command does not take"
assert_eq "$(printf '%s\n' drill list prune verify)" "$(complete_words migrator backup '')" \
    "bash completes backup's sub-commands"
zsh_file=$work/prefix/share/zsh/site-functions/_migrator
missing=""
for c in $commands; do
    grep -q "^        '$c:" "$zsh_file" || missing="$missing $c"
done
assert_eq "" "$missing" "the zsh completion describes every command"
if command -v zsh >/dev/null; then
    zsh -n "$zsh_file" && pass "zsh parses its completion" || fail "zsh parses its completion"
fi

# --- the .deb -----------------------------------------------------------------

run cpack --config "$build/CPackConfig.cmake" -B "$work/deb"
assert_eq 0 "$RC" "cpack builds a package"
[ "$RC" = 0 ] || printf '%s\n%s\n' "$OUT" "$ERR" | tail -5
deb=$(find "$work/deb" -maxdepth 1 -name 'migrator_*.deb' | head -1)
[ -n "$deb" ] && pass "the package is a .deb" || fail "the package is a .deb"
mkdir "$work/root"
dpkg-deb -x "$deb" "$work/root" && pass "dpkg-deb -x unpacks it" || fail "dpkg-deb -x unpacks it"
for f in usr/bin/migrator usr/share/man/man1/migrator.1 \
    usr/share/bash-completion/completions/migrator usr/share/zsh/site-functions/_migrator; do
    [ -s "$work/root/$f" ] || fail "the .deb holds /$f"
done
pass "the .deb holds the binary, the man page and the completions"
run env -i PATH=/usr/bin:/bin "$work/root/usr/bin/migrator" --version
assert_eq 0 "$RC" "the unpacked binary runs"
assert_contains "$OUT" "(commit $commit," "the unpacked binary prints the commit"

info=$(dpkg-deb -I "$deb")
depends=$(sed -n 's/^ Depends: //p' <<<"$info")
assert_contains "$info" "Recommends: postgresql-client" "postgresql-client is recommended (backups)"
# every library the binary links (sanitizer runtimes aside) comes from a
# package the .deb depends on
missing=""
for lib in $(objdump -p "$work/root/usr/bin/migrator" | awk '/NEEDED/ {print $2}'); do
    case $lib in libasan* | libubsan* | liblsan* | libtsan*) continue ;; esac
    path=$(ldd "$work/root/usr/bin/migrator" | awk -v l="$lib" '$1 == l {print $3}')
    pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$(realpath "$path")" 2>/dev/null)
    pkg=${pkg%%:*}
    case ", $depends," in *", $pkg,"*) ;; *) missing="$missing $lib($pkg)" ;; esac
done
assert_eq "" "$missing" "Depends lists the package of every linked library"

finish
