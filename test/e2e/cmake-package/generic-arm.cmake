# A bare-metal toolchain whose target smc_add_model cannot tell (CMAKE_SYSTEM_PROCESSOR "arm"
# names no one triple): the compiler is only a stand-in that CMake's checks accept.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
