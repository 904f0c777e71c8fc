#!/bin/sh
echo "saved with a UTF-8 byte order mark"
