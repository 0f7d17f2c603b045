# Build options shared by every target of ours. Third-party headers are included as SYSTEM so that the
# warnings-as-errors policy applies to our code only.

option(SP_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(SP_WERROR "Treat warnings in our own code as errors" ON)
option(SP_BUILD_TESTS "Build the test suite" ON)
option(SP_BUILD_BENCH "Build the benchmarks" ON)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

set(SP_WARNING_FLAGS
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough -Wmisleading-indentation -Wduplicated-cond -Wlogical-op -Wformat=2)
# -Wnull-dereference runs in the test build (-O1, sanitizers). In -O2/-O3 builds GCC 12 reports it from deep
# inside libstdc++ and Asio after inlining (std::string, shared_ptr), so there it would only be noise.
if(SP_SANITIZE OR CMAKE_BUILD_TYPE STREQUAL "Debug")
  list(APPEND SP_WARNING_FLAGS -Wnull-dereference)
endif()
if(SP_WERROR)
  list(APPEND SP_WARNING_FLAGS -Werror)
endif()

if(SP_SANITIZE)
  # -O1 keeps sanitized test runs fast enough for CI while keeping stack traces readable.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -O1)
  add_link_options(-fsanitize=address,undefined)
endif()

# sp_target_defaults(target): warnings, include root, and C++20 for one of our targets.
function(sp_target_defaults target)
  target_compile_options(${target} PRIVATE ${SP_WARNING_FLAGS})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
  else()
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  endif()
endfunction()

# sp_module(name SOURCES ... DEPS ...): the static library sp_<name> for src/<name>.
function(sp_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(sp_${name} STATIC ${M_SOURCES})
  sp_target_defaults(sp_${name})
  target_link_libraries(sp_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
endfunction()

# sp_test(name SOURCES ... DEPS ... LABELS ...): one GoogleTest executable registered with ctest.
function(sp_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  sp_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
                       ENVIRONMENT "SP_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
                       # A second variable in ENVIRONMENT would be split off as a property name by
                       # gtest_discover_tests (its list escaping is lost), hence its own property.
                       ENVIRONMENT_MODIFICATION "SP_BINARY_DIR=set:${PROJECT_BINARY_DIR}")
endfunction()
