# CMake toolchain file of the firmware example: Debian's arm-none-eabi GCC for the Cortex-M core
# named by FIRMWARE_CORE (cortex-m0, cortex-m3, cortex-m4 — the default —, cortex-m7,
# cortex-m33 or cortex-m55).
# smc_add_model compiles the model for the triple in CMAKE_C_COMPILER_TARGET (GCC itself
# ignores it; clang would take it as --target), with CPU ${FIRMWARE_CORE} (CMakeLists.txt).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES FIRMWARE_CORE)
if(NOT FIRMWARE_CORE)
  set(FIRMWARE_CORE cortex-m4)
endif()
set(FIRMWARE_CORE ${FIRMWARE_CORE} CACHE STRING "cortex-m0, m3, m4, m7, m33 or m55")
# Per core: the LLVM triple smc compiles for, and GCC's flags for the same ABI. The cores
# without an FPU use the soft-float ABI (libgcc's __aeabi_f* helpers); M4 and M7 the hard-float
# ABI with their FPUs (single precision on M4; M7's FPv5 here in its double-precision form).
if(FIRMWARE_CORE STREQUAL "cortex-m0")
  set(CMAKE_C_COMPILER_TARGET thumbv6m-none-eabi)
  set(_float "-mfloat-abi=soft")
elseif(FIRMWARE_CORE STREQUAL "cortex-m3")
  set(CMAKE_C_COMPILER_TARGET thumbv7m-none-eabi)
  set(_float "-mfloat-abi=soft")
elseif(FIRMWARE_CORE STREQUAL "cortex-m4")
  set(CMAKE_C_COMPILER_TARGET thumbv7em-none-eabihf)
  set(_float "-mfloat-abi=hard -mfpu=fpv4-sp-d16")
elseif(FIRMWARE_CORE STREQUAL "cortex-m7")
  set(CMAKE_C_COMPILER_TARGET thumbv7em-none-eabihf)
  set(_float "-mfloat-abi=hard -mfpu=fpv5-d16")
elseif(FIRMWARE_CORE STREQUAL "cortex-m33")
  set(CMAKE_C_COMPILER_TARGET thumbv8m.main-none-eabihf)
  set(_float "-mfloat-abi=hard -mfpu=fpv5-sp-d16")
elseif(FIRMWARE_CORE STREQUAL "cortex-m55")
  set(CMAKE_C_COMPILER_TARGET thumbv8.1m.main-none-eabihf)
  set(_float "-mfloat-abi=hard")
else()
  message(FATAL_ERROR "FIRMWARE_CORE must be cortex-m0, m3, m4, m7, m33 or m55, not '${FIRMWARE_CORE}'")
endif()
set(CMAKE_C_FLAGS_INIT "-mcpu=${FIRMWARE_CORE} -mthumb ${_float} -ffreestanding")
# The image links nothing of a C library: -nostdlib, and libgcc for GCC's own helpers.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
