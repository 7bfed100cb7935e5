# Run at build time (cmake -DSRC=... -DOUT=... -P GitCommit.cmake): writes
# OUT, a header defining MIGRATOR_COMMIT as the short commit of SRC when
# SRC is the top of a git checkout, "unknown" otherwise (a tarball, the
# Docker build). OUT is rewritten only when the commit changed, so a build
# with nothing new recompiles nothing.
set(commit unknown)
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SRC} rev-parse --show-toplevel
    OUTPUT_VARIABLE top RESULT_VARIABLE rc
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  # a source tree unpacked inside some other checkout is not ours
  if(rc EQUAL 0)
    get_filename_component(top "${top}" REALPATH)
    get_filename_component(src "${SRC}" REALPATH)
  endif()
  if(rc EQUAL 0 AND top STREQUAL src)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SRC} rev-parse --short HEAD
      OUTPUT_VARIABLE head RESULT_VARIABLE rc
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(rc EQUAL 0 AND head MATCHES "^[0-9a-f]+$")
      set(commit ${head})
    endif()
  endif()
endif()
# a build without .git (the Docker build) is told the commit: MIGRATOR_COMMIT
if(commit STREQUAL "unknown" AND "$ENV{MIGRATOR_COMMIT}" MATCHES "^[0-9a-f]+$")
  set(commit $ENV{MIGRATOR_COMMIT})
endif()
file(WRITE ${OUT}.tmp "#define MIGRATOR_COMMIT \"${commit}\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
file(REMOVE ${OUT}.tmp)
