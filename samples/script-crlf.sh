#!/bin/sh
echo "saved on Windows: every line ends in CR LF"
