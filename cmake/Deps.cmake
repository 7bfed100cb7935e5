# Every third-party library is found here and linked PRIVATE to the one
# component that uses it (see STYLE.md section 1).
find_package(PkgConfig REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(LibXml2 REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
# PCRE2 (8-bit): close to java.util.regex, which Liquibase uses for
# modifySql regExpReplace and endDelimiter (util/regex.c adapts the rest).
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
# libunistring: Unicode NFC normalisation, which Liquibase applies to
# structured-change checksums; writing NFC tables by hand is error-prone.
# zlib: Liquibase reads every resource whose name ends in ".gz" through a
# GZIPInputStream (a gzipped loadData CSV, say); so does util/resource.c.
find_package(ZLIB REQUIRED)
find_library(UNISTRING_LIBRARY NAMES unistring REQUIRED)
find_path(UNISTRING_INCLUDE_DIR NAMES uninorm.h REQUIRED)
if(MIGRATOR_BUILD_TESTS)
  pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
endif()
