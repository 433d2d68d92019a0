#!/usr/bin/env bash
# Regenerates the committed C++ parser from the grammar. Needs the Debian `antlr4` package
# (apt-get install antlr4); ordinary builds use the committed files and need no Java.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf generated
antlr4 -Dlanguage=Cpp -no-listener -no-visitor -package ktap::grammar -o generated StapLexer.g4 StapParser.g4
# The tool writes absolute paths into header comments; keep the output reproducible.
sed -i "s|$(pwd)/||g" generated/*
