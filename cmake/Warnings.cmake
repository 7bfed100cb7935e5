add_compile_options(-Wall -Wextra -Wshadow -Wno-unused-parameter
  -Wmissing-prototypes -Wstrict-prototypes -Wpointer-arith
  -Wno-format-truncation)
if(MIGRATOR_WERROR)
  add_compile_options(-Werror)
endif()
