# ENOEXEC_PORTABLE (the `portable` preset): a fully static enoexec program. Filled in by the
# portable-build work; included before the dependencies are found.
