# CMake toolchain file of the firmware example: Debian's arm-none-eabi GCC for a Cortex-M4 with
# its single-precision FPU, hard-float ABI. smc_add_model compiles the model for the triple in
# CMAKE_C_COMPILER_TARGET (GCC itself ignores it; clang would take it as --target).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_C_COMPILER_TARGET thumbv7em-none-eabihf)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -ffreestanding")
# The image links nothing of a C library: -nostdlib, and libgcc for what GCC's own code calls.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostdlib")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
