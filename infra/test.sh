#!/usr/bin/env bash
# Runs every test of the project. Used by `make test` and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages the integration tests start (server-everything, the TypeScript MCP client, dynalite),
# installed exactly as the lock file pins them.
if [ -f infra/node/package-lock.json ]; then
  npm ci --prefix infra/node --no-audit --no-fund --loglevel=error
fi

# Debian's chromium for the approver page's browser tests (Playwright drives it; no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  else
    sudo apt-get update
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  fi
fi

dotnet build Serverless.sln -c Release --nologo -v quiet
results=$(mktemp -d)
status=0
dotnet test Serverless.sln -c Release --no-build --nologo \
  --logger "trx" --results-directory "$results" || status=$?

# One closing line in the plain form CI reads, summed over every test project.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed"))
    failed += int(counters.get("failed")) + int(counters.get("error")) + int(counters.get("timeout")) + int(counters.get("aborted"))
    skipped += int(counters.get("notExecuted"))
    # The names and first message lines of failed tests, last, so a log's tail says what failed.
    for result in ET.parse(path).getroot().iter("{%s}UnitTestResult" % ns["t"]):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            message = result.find("t:Output/t:ErrorInfo/t:Message", ns)
            text = (message.text or "").strip().splitlines() if message is not None else []
            print(f"FAILED {result.get('testName')}: {' | '.join(text[:3])[:600]}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit $status
