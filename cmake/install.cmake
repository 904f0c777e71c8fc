# Install rules, the exported CMake package and pkg-config file, and CPack.
