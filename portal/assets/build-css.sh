#!/usr/bin/env bash
# Rebuild portal/static/css/portal.css from portal.scss with the pinned GOV.UK Frontend.
# Needs Node.js and the npm registry; the compiled CSS is committed, so `make run` doesn't.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent)
"$work/node_modules/.bin/sass" --load-path="$work/node_modules/govuk-frontend/dist" \
  --style=compressed --no-source-map --quiet-deps \
  "$here/portal.scss" "$here/../static/css/portal.css"
cp "$work/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$here/../static/govuk/"
echo "built portal/static/css/portal.css"
