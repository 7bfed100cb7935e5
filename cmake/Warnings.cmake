add_compile_options(-Wall -Wextra -Wshadow -Wno-unused-parameter
  -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith)
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wno-format-truncation) # clang does not know it
endif()
if(MIGRATOR_WERROR)
  add_compile_options(-Werror)
endif()
