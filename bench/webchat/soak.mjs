// Soak of CcBot's web chat with the official client, botframework-directlinejs (the library Web Chat uses).
//
//   node soak.mjs --base http://127.0.0.1:5080 --conversations 40 --minutes 16 --every-ms 4000
//
// Each conversation gets a token (POST {base}/directline/token), connects over WebSocket and posts a message every
// --every-ms (jittered) until the time is up, then waits for the last replies. The client refreshes its token itself
// (every 15 minutes) and reconnects from its watermark when the server closes the stream (DirectLine:StreamLifetimeSeconds).
// Checked: every message answered exactly once (the reply's replyToId names the posted id), no activity shown twice to
// a conversation, no failed POST. One JSON line on stdout; exit 0 when all holds, 2 otherwise. Loopback only.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
globalThis.XMLHttpRequest = require('xhr2');
const WS = require('ws');
const { DirectLine, ConnectionStatus } = require('botframework-directlinejs');
const dlRequire = createRequire(require.resolve('botframework-directlinejs'));
const { Observable } = dlRequire('rxjs/Observable');
dlRequire('rxjs/add/observable/dom/ajax');
dlRequire('rxjs/add/operator/do');

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const base = String(args.base ?? 'http://127.0.0.1:5080');
const C = Number(args.conversations ?? 40);
const minutes = Number(args.minutes ?? 16);
const everyMs = Number(args['every-ms'] ?? 4000);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base)) throw new Error('--base must be http://127.0.0.1:PORT (loopback only)');
if (!(C >= 1 && C <= 200) || !(minutes > 0 && minutes <= 30) || !(everyMs >= 500)) throw new Error('bounds: 1..200 conversations, up to 30 minutes, every >= 500 ms');

const counts = { token_refresh: 0, reconnect: 0, ws_opened: 0, ws_closed_by_server: 0, post_failed: 0, http_errors: 0 };
function countingAjax(req) {
  const path = new URL(req.url, base).pathname;
  return Observable.ajax(req).do(
    () => {
      if (path.endsWith('/tokens/refresh')) counts.token_refresh++;
      else if (/\/conversations\/[^/]+$/.test(path) && (req.method ?? 'GET') === 'GET') counts.reconnect++;
    },
    () => { counts.http_errors++; },
  );
}
globalThis.WebSocket = class extends WS {
  constructor(...a) {
    super(...a);
    this.addEventListener('open', () => { counts.ws_opened++; });
    this.addEventListener('close', (e) => { if (!stopping && e.code === 1000) counts.ws_closed_by_server++; });
  }
};

const texts = ['hạn nộp bài thi là khi nào', 'cuoc thi co bao nhieu vong', 'số điện thoại liên hệ ban tổ chức', 'nộp bài ở đâu', '/help'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let stopping = false;
const endAt = Date.now() + minutes * 60_000;
const results = [];

async function conversation(idx) {
  const res = await fetch(`${base}/directline/token`, { method: 'POST' });
  if (!res.ok) throw new Error(`token ${res.status}`);
  const { token } = await res.json();
  const dl = new DirectLine({ domain: `${base}/v3/directline`, token, webSocket: true, ajax: countingAjax });
  const c = { sent: 0, posted: new Map(), replies: new Map(), seen: new Set(), shownTwice: 0, failed: 0 };
  dl.activity$.subscribe((a) => {
    if (c.seen.has(a.id)) { c.shownTwice++; return; }
    c.seen.add(a.id);
    if (a.from?.role === 'bot' && a.replyToId) c.replies.set(a.replyToId, (c.replies.get(a.replyToId) ?? 0) + 1);
  }, () => {}); // dl.end() at the close ends the stream with an error

  await new Promise((resolve) => dl.connectionStatus$.subscribe((s) => { if (s === ConnectionStatus.Online) resolve(); }, () => {}));
  await sleep(Math.random() * everyMs);
  while (Date.now() < endAt) {
    const text = texts[(idx + c.sent) % texts.length];
    c.sent++;
    await new Promise((resolve) => dl.postActivity({ type: 'message', from: { id: 'u' + idx }, text }).subscribe(
      (id) => { if (id === 'retry') c.failed++; else c.posted.set(id, true); resolve(); },
      () => { c.failed++; resolve(); }));
    await sleep(everyMs * (0.5 + Math.random()));
  }
  const wait = Date.now() + 60_000;
  while (Date.now() < wait && [...c.posted.keys()].some((id) => !c.replies.has(id))) await sleep(250);
  results.push(c);
  dl.end();
}

await Promise.all(Array.from({ length: C }, (_, i) => conversation(i)));
stopping = true;
const sum = (f) => results.reduce((n, c) => n + f(c), 0);
const summary = {
  conversations: results.length,
  minutes,
  sent: sum((c) => c.sent),
  posted: sum((c) => c.posted.size),
  answered: sum((c) => [...c.posted.keys()].filter((id) => c.replies.get(id) >= 1).length),
  answered_twice: sum((c) => [...c.replies.values()].filter((n) => n > 1).length),
  unanswered: sum((c) => [...c.posted.keys()].filter((id) => !c.replies.has(id)).length),
  shown_twice: sum((c) => c.shownTwice),
  post_failed: sum((c) => c.failed),
  ...counts,
};
console.log(JSON.stringify(summary));
const ok = summary.unanswered === 0 && summary.answered_twice === 0 && summary.shown_twice === 0 && summary.post_failed === 0 && summary.sent === summary.posted;
setTimeout(() => process.exit(ok ? 0 : 2), 100);
