# smcModel.cmake - smc_add_model(): compile a TensorFlow SavedModel at build time and link it.
#
# Included by smcConfig.cmake (find_package(smc)), which defines the imported targets this uses:
# smc::smc (the compiler) and smc::runtime (the include directory of <smc/runtime.h>).
# Reference and an example: docs/cmake.md.
#
#   smc_add_model(<target> DIR <savedmodel dir>
#                 [SIGNATURES key...]   # default: serving_default (unless FUNCTIONS is given)
#                 [FUNCTIONS path...]   # object-graph functions, e.g. __call__
#                 [NAMESPACE ns]        # C++ namespace and C symbol prefix; default: <target>
#                 [TAG_SET tags]        # default (smc's): serve
#                 [INPUT_SHAPES key=d0,d1,...]...
#                 [TARGET triple] [CPU cpu] [FEATURES +f,...]   # default: the build machine,
#                                       # or in a cross build the toolchain's (docs/cmake.md)
#                 [WEIGHTS_SECTION name] # ELF section of the weights, e.g. .extflash
#                 [OPTIONS flag...]     # passed to `smc compile` as they are, e.g. --fast-math
#                 [DEPENDS file-or-target...])  # what produces DIR, when the build makes it
#
# Creates the static library <target> holding the compiled object, whose users get the include
# directories of the generated header <target>.h and of <smc/runtime.h>. The compile runs again
# when a file under DIR or the smc executable changes.

include_guard(GLOBAL)

# The LLVM triple of a cross build's toolchain: CMAKE_C_COMPILER_TARGET (or CXX's), as clang
# toolchain files set it; else CMAKE_SYSTEM_NAME + CMAKE_SYSTEM_PROCESSOR where that names one
# target (docs/cmake.md lists them); else an error asking for TARGET.
function(_smc_toolchain_target out fn)
  foreach(lang C CXX)
    if(CMAKE_${lang}_COMPILER_TARGET)
      set(${out} "${CMAKE_${lang}_COMPILER_TARGET}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" cpu)
  set(triple "")
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    if(cpu MATCHES "^(x86_64|amd64)$")
      set(triple x86_64-unknown-linux-gnu)
    elseif(cpu MATCHES "^(aarch64|arm64)$")
      set(triple aarch64-unknown-linux-gnu)
    elseif(cpu STREQUAL "riscv64")
      set(triple riscv64-unknown-linux-gnu)
    endif()
  endif()
  if(NOT triple)
    message(FATAL_ERROR "${fn}: this is a cross build (CMAKE_SYSTEM_NAME '${CMAKE_SYSTEM_NAME}', "
      "CMAKE_SYSTEM_PROCESSOR '${CMAKE_SYSTEM_PROCESSOR}') and smc cannot tell the target from "
      "it: give smc_add_model TARGET <triple> (and CPU <cpu>), or set CMAKE_C_COMPILER_TARGET "
      "in the toolchain file")
  endif()
  set(${out} "${triple}" PARENT_SCOPE)
endfunction()

function(smc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "DIR;NAMESPACE;TAG_SET;TARGET;CPU;FEATURES;WEIGHTS_SECTION"
    "SIGNATURES;FUNCTIONS;INPUT_SHAPES;OPTIONS;DEPENDS")
  set(fn "smc_add_model(${target})")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${fn}: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_DIR)
    message(FATAL_ERROR "${fn}: DIR <SavedModel directory> is required")
  endif()
  if(NOT TARGET smc::smc OR NOT TARGET smc::runtime)
    message(FATAL_ERROR "${fn}: call find_package(smc) first (in this directory or a parent)")
  endif()
  if(TARGET ${target})
    message(FATAL_ERROR "${fn}: a target named '${target}' already exists")
  endif()

  # The language the model library is "linked" (archived) with: it holds no sources to compile.
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("C" IN_LIST languages)
    set(language C)
  elseif("CXX" IN_LIST languages)
    set(language CXX)
  else()
    message(FATAL_ERROR "${fn}: enable C or CXX in project() first")
  endif()

  get_filename_component(dir "${arg_DIR}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(IS_DIRECTORY "${dir}")
    # Every file of the model (saved_model.pb or .pbtxt, variables/*, version subdirectories of a
    # TF Serving base directory): editing one recompiles; adding one re-runs CMake's configure.
    file(GLOB_RECURSE model_files CONFIGURE_DEPENDS LIST_DIRECTORIES false "${dir}/*")
  elseif(NOT arg_DEPENDS)
    message(FATAL_ERROR "${fn}: DIR '${dir}' is not a directory (if the build makes it, name "
                        "what makes it in DEPENDS)")
  endif()

  if(NOT DEFINED arg_NAMESPACE) # (smc checks a given one)
    string(MAKE_C_IDENTIFIER "${target}" arg_NAMESPACE)
  endif()
  if(NOT arg_SIGNATURES AND NOT arg_FUNCTIONS)
    set(arg_SIGNATURES serving_default)
  endif()

  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/smc/${target}")
  set(object "${out_dir}/${target}.o")
  set(header "${out_dir}/${target}.h")
  file(MAKE_DIRECTORY "${out_dir}")

  set(flags --dir "${dir}" --namespace ${arg_NAMESPACE})
  foreach(sig IN LISTS arg_SIGNATURES)
    list(APPEND flags --signature "${sig}")
  endforeach()
  foreach(path IN LISTS arg_FUNCTIONS)
    list(APPEND flags --function "${path}")
  endforeach()
  foreach(shape IN LISTS arg_INPUT_SHAPES)
    list(APPEND flags --input-shape "${shape}")
  endforeach()
  if(DEFINED arg_TAG_SET)
    list(APPEND flags --tag_set "${arg_TAG_SET}")
  endif()
  # A cross build compiles for the toolchain's target, never silently for the build machine.
  if(NOT DEFINED arg_TARGET AND CMAKE_CROSSCOMPILING)
    _smc_toolchain_target(arg_TARGET "${fn}")
  endif()
  foreach(opt TARGET CPU FEATURES WEIGHTS_SECTION)
    if(DEFINED arg_${opt})
      string(TOLOWER ${opt} flag)
      string(REPLACE "_" "-" flag "${flag}")
      list(APPEND flags --${flag} "${arg_${opt}}")
    endif()
  endforeach()

  string(JOIN ", " what ${arg_SIGNATURES} ${arg_FUNCTIONS})
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND smc::smc compile ${flags} ${arg_OPTIONS} -o "${object}" --header "${header}"
    DEPENDS ${model_files} "$<TARGET_FILE:smc::smc>" ${arg_DEPENDS}
    COMMENT "smc: compiling ${arg_DIR} (${what}) for ${target}"
    VERBATIM)

  # A static library whose only member is the generated object (CMake archives files ending in
  # .o as they are). The header is listed so that building <target> generates it too.
  add_library(${target} STATIC "${object}" "${header}")
  set_source_files_properties("${object}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set_target_properties(${target} PROPERTIES
    LINKER_LANGUAGE ${language}
    SMC_OBJECT "${object}"
    SMC_HEADER "${header}")
  target_include_directories(${target} INTERFACE "$<BUILD_INTERFACE:${out_dir}>")
  target_link_libraries(${target} INTERFACE smc::runtime)
endfunction()
