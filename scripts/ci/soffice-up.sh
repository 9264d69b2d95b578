#!/usr/bin/env bash
# Installs Debian's LibreOffice Calc (no GUI) for the test that opens the
# Excel workbook in LibreOffice when it is missing. Exits 0 either way;
# without soffice the ignored test fails when run with --ignored.
if command -v soffice >/dev/null 2>&1; then
  echo "soffice-up: $(soffice --version 2>/dev/null | head -1)"
  exit 0
fi
if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; } >/tmp/regiosim-soffice-up.log 2>&1; then
  echo "soffice-up: installed $(soffice --version 2>/dev/null | head -1)"
else
  echo "soffice-up: could not install LibreOffice (see /tmp/regiosim-soffice-up.log)"
fi
exit 0
