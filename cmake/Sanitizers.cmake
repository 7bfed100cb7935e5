# MIGRATOR_SANITIZE: build everything (libraries, CLI, tests) with
# sanitizers. ON means address;undefined; a list names them ("address",
# "undefined;leak", ...). Undefined behaviour is fatal
# (-fno-sanitize-recover), so a test that triggers it fails instead of
# printing a line nobody reads. tests/sanitize.sh is the driver.
if(MIGRATOR_SANITIZE)
  if(MIGRATOR_SANITIZE STREQUAL "ON" OR MIGRATOR_SANITIZE STREQUAL "1")
    set(_mg_san "address;undefined")
  else()
    set(_mg_san "${MIGRATOR_SANITIZE}")
  endif()
  string(REPLACE ";" "," _mg_san "${_mg_san}")
  add_compile_options(-fsanitize=${_mg_san} -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${_mg_san})
endif()

# MIGRATOR_FUZZ: the libFuzzer harnesses of tests/fuzz (clang only). The
# harnesses link the same libraries as the CLI, so those are built with
# coverage instrumentation too (-fsanitize=fuzzer-no-link), plus ASan and
# UBSan unless MIGRATOR_SANITIZE already chose sanitizers.
option(MIGRATOR_FUZZ "Build the libFuzzer harnesses in tests/fuzz (clang)" OFF)
if(MIGRATOR_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "MIGRATOR_FUZZ needs clang (cmake -DCMAKE_C_COMPILER=clang)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  if(NOT MIGRATOR_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
  endif()
endif()
