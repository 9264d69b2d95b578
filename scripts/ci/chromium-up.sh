#!/usr/bin/env bash
# Installs Debian's chromium for the report's browser test when it is
# missing. Exits 0 either way; without chromium the test says it is skipped.
if command -v chromium >/dev/null 2>&1; then
  echo "chromium-up: $(chromium --version 2>/dev/null)"
  exit 0
fi
if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/tmp/regiosim-chromium-up.log 2>&1; then
  echo "chromium-up: installed $(chromium --version 2>/dev/null)"
else
  echo "chromium-up: could not install chromium (see /tmp/regiosim-chromium-up.log); the browser test will be skipped"
fi
exit 0
