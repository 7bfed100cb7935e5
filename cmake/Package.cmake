# What `cmake --install` puts where, and the .deb CPack builds from it.
# The man page and the completions are generated from the built binary's
# own help by cmake/gen-docs.sh, so they never disagree with --help.
include(GNUInstallDirs)

set(MG_DOCS_DIR ${CMAKE_BINARY_DIR}/docs)
add_custom_command(
  OUTPUT ${MG_DOCS_DIR}/migrator.1 ${MG_DOCS_DIR}/migrator.bash
    ${MG_DOCS_DIR}/_migrator
  COMMAND ${CMAKE_SOURCE_DIR}/cmake/gen-docs.sh $<TARGET_FILE:migrator>
    ${MG_DOCS_DIR}
  DEPENDS migrator ${CMAKE_SOURCE_DIR}/cmake/gen-docs.sh
  COMMENT "Generating the man page and shell completions" VERBATIM)
add_custom_target(mg_docs ALL DEPENDS ${MG_DOCS_DIR}/migrator.1
  ${MG_DOCS_DIR}/migrator.bash ${MG_DOCS_DIR}/_migrator)

install(TARGETS migrator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${MG_DOCS_DIR}/migrator.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${MG_DOCS_DIR}/migrator.bash
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
  RENAME migrator)
install(FILES ${MG_DOCS_DIR}/_migrator
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/site-functions)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME migrator)
set(CPACK_PACKAGE_VENDOR migrator)
set(CPACK_PACKAGE_CONTACT "migrator maintainers <migrator@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Liquibase-compatible database migration runner for PostgreSQL")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
# the shared libraries the binary links (Debian 12 names, as in the
# Dockerfile's runtime stage); pg_dump and pg_restore only for backups
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6, libpq5, libxml2, libyaml-0-2, libjansson4, libssl3, libunistring2, libpcre2-8-0, zlib1g")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS postgresql-client)
include(CPack)
