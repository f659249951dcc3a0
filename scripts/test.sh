#!/bin/sh
# Install newsgraph with its test dependencies into .venv and run the whole test suite.
#
# Browser tests drive the system Chromium (Debian package "chromium") through
# Playwright; no browser is downloaded. When it is missing and apt-get can be used
# (root, or passwordless sudo), it is installed here; otherwise those tests skip.
# Extra arguments go to pytest:  sh scripts/test.sh -k cli -x
set -eu
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
    echo "installing Debian chromium for the browser tests" >&2
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; } \
        || echo "could not install chromium: browser tests will be skipped" >&2
fi

exec .venv/bin/python -m pytest "$@"
