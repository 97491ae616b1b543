#!/usr/bin/env bash
# The built CcBot host as a "custom" bot of the shared harness (../shared/harness/run-peer.sh --cmd):
#   ./run-peer.sh --name ccbot --cmd /path/to/CcBot/bench/telegram/ccbot-harness.sh [--custom-mode webhook] custom telegraf-polling null-polling
# run-peer.sh passes FAKE_TG_API_ROOT, BOT_TOKEN, BOT_MODE, WEBHOOK_PORT, WEBHOOK_SECRET. Every update and reply is stored
# in a fresh SQLite database with synchronous=FULL (the default). Like the peers (which have no limiter), the throughput
# runs lift Telegram's send limits (CCBOT_TG_LIMITS=off, default); CCBOT_TG_LIMITS=on keeps the production limits
# (30 messages/s, 1 per chat per second) for the rate-limit scenario. Build first: dotnet build -c Release, or run the
# deployed form (ReadyToRun, as deploy/Dockerfile publishes it) with CCBOT_DLL:
#   dotnet publish src/CcBot.Host -c Release -r linux-x64 --self-contained false -o /tmp/ccbot-publish
#   CCBOT_DLL=/tmp/ccbot-publish/CcBot.Host.dll ./run-peer.sh ... --cmd .../ccbot-harness.sh custom
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dll="${CCBOT_DLL:-$root/src/CcBot.Host/bin/Release/net10.0/CcBot.Host.dll}"
[[ -f "$dll" ]] || { echo "build CcBot first: dotnet build -c Release ($dll missing)" >&2; exit 2; }
data=$(mktemp -d /tmp/ccbot-harness.XXXXXX)
trap 'rm -rf "$data"' EXIT

export Telegram__BotToken="$BOT_TOKEN" Telegram__ApiBaseUrl="$FAKE_TG_API_ROOT"
export Storage__DataFolder="$data" Storage__ConnectionString="Data Source=$data/ccbot.db"
# A trained model is loaded, not retrained (CCBOT_NLU_MODEL, else the one the tests train).
export Nlu__ModelFile="${CCBOT_NLU_MODEL:-/tmp/ccbot-tests/nlu-model.zip}"
export Logging__LogLevel__Default=Warning
if [[ "${CCBOT_TG_LIMITS:-off}" == off ]]; then
  export Telegram__GlobalRatePerSecond=100000 Telegram__PerChatInterval=00:00:00
fi
if [[ "${BOT_MODE:-polling}" == webhook ]]; then
  export Telegram__Mode=webhook Telegram__WebhookUrl="http://127.0.0.1:$WEBHOOK_PORT/telegram/webhook" Telegram__SecretToken="$WEBHOOK_SECRET"
  export Urls="http://127.0.0.1:$WEBHOOK_PORT" RateLimits__WebhookPerSecond=100000
else
  export Telegram__Mode=polling Urls="http://127.0.0.1:0"
fi
# From the repository root the host takes src/CcBot.Host as its content root (appsettings, dialogs/, data/), whichever build runs.
cd "$root"
exec dotnet "$dll"
