# migrator: build stage, then a slim runtime with only the runtime
# libraries and postgresql-client (pg_dump / pg_restore for backups),
# running as a non-root user.
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential cmake pkg-config libpq-dev libxml2-dev libyaml-dev \
        libjansson-dev libssl-dev libunistring-dev libpcre2-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY migrator migrator
COPY drivers drivers
COPY tests tests
# the commit `migrator --version` prints (no .git in the image; a build
# argument is in the environment of RUN, where cmake/GitCommit.cmake reads it)
ARG MIGRATOR_COMMIT=unknown
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMIGRATOR_BUILD_TESTS=OFF \
    && cmake --build build -j"$(nproc)" \
    && strip build/migrator

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpq5 libxml2 libyaml-0-2 libjansson4 libssl3 libunistring2 \
        libpcre2-8-0 zlib1g \
        postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /work --create-home migrator
COPY --from=build /src/build/migrator /usr/local/bin/migrator
COPY changelogs /changelogs
# what the flow writes as user migrator: backups (a named volume starts as a copy of this
# folder, owner included) and the review files of changelogs/migrate.flow.yaml, relative
# to the working directory /changelogs/example of the compose service and the Job
RUN mkdir -p /backups /changelogs/example/artifacts \
    && chown migrator:migrator /backups /changelogs/example/artifacts
USER migrator
WORKDIR /work
ENTRYPOINT ["migrator"]
CMD ["--help"]
