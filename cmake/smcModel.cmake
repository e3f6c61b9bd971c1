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
#                 [TARGET triple] [CPU cpu] [FEATURES +f,...]
#                 [OPTIONS flag...]     # passed to `smc compile` as they are, e.g. --fast-math
#                 [DEPENDS file-or-target...])  # what produces DIR, when the build makes it
#
# Creates the static library <target> holding the compiled object, whose users get the include
# directories of the generated header <target>.h and of <smc/runtime.h>. The compile runs again
# when a file under DIR or the smc executable changes.

include_guard(GLOBAL)

function(smc_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "DIR;NAMESPACE;TAG_SET;TARGET;CPU;FEATURES"
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
  foreach(opt TARGET CPU FEATURES)
    if(DEFINED arg_${opt})
      string(TOLOWER ${opt} flag)
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
