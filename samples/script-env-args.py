#!/usr/bin/env python3 -u
print("env gets one argument: \"python3 -u\"")
