#!/usr/bin/env bash
# The container image of migrator: build, scan, publish. The project's CI
# (.github/workflows/ci.yml) calls this after the tests and the lint pass;
# it runs the same way on a machine with a Docker daemon.
#
#   tools/image.sh build  [TAG]   docker build -t TAG . (default migrator:dev)
#   tools/image.sh scan   [TAG]   Trivy: fail on a fixable HIGH or CRITICAL
#                                 vulnerability (trivy on PATH, else its image)
#   tools/image.sh smoke  [TAG]   the image prints its version and the commit
#   tools/image.sh publish TAG... docker push each TAG (log in first)
#
# Environment: MG_TRIVY_IMAGE (default aquasec/trivy:0.57.0),
# MG_TRIVY_SEVERITY (default HIGH,CRITICAL).
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:-}
shift || true
tag=${1:-migrator:dev}
command -v docker >/dev/null || { echo "image.sh: docker is not installed" >&2; exit 1; }

case "$cmd" in
    build)
        docker build --pull -t "$tag" \
            --build-arg MIGRATOR_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
            --label org.opencontainers.image.revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)" .
        ;;
    scan)
        sev=${MG_TRIVY_SEVERITY:-HIGH,CRITICAL}
        if command -v trivy >/dev/null; then
            trivy image --exit-code 1 --ignore-unfixed --severity "$sev" "$tag"
        else
            docker run --rm -v /var/run/docker.sock:/var/run/docker.sock \
                "${MG_TRIVY_IMAGE:-aquasec/trivy:0.57.0}" image --exit-code 1 --ignore-unfixed \
                --severity "$sev" "$tag"
        fi
        ;;
    smoke)
        out=$(docker run --rm "$tag" --version)
        echo "$out"
        want=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
        case "$out" in *migrator*"$want"*) ;; *) echo "image.sh: --version does not name commit $want: $out" >&2; exit 1 ;; esac
        ;;
    publish)
        [ $# -gt 0 ] || { echo "image.sh publish: name the tags to push" >&2; exit 2; }
        for t in "$@"; do docker push "$t"; done
        ;;
    *)
        sed -n '2,14p' "$0" >&2
        exit 2
        ;;
esac
