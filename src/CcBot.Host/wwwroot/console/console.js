// Staff console: a minimal SignalR (JSON protocol over WebSocket) listener. On an event, the page's #live block is
// re-fetched and swapped in place, so the queue and the ticket transcript update without reloading the page.
(function () {
  "use strict";
  var RS = "\u001e";

  function refresh() {
    fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live"), current = document.getElementById("live");
        if (fresh && current) current.innerHTML = fresh.innerHTML;
      });
  }

  function connect(events, status) {
    fetch("/console/hub/negotiate?negotiateVersion=1", { method: "POST", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error("negotiate " + r.status); return r.json(); })
      .then(function (n) {
        var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/console/hub?id=" + encodeURIComponent(n.connectionToken || n.connectionId);
        var ws = new WebSocket(url);
        ws.onopen = function () {
          ws.send(JSON.stringify({ protocol: "json", version: 1 }) + RS);
        };
        ws.onmessage = function (e) {
          String(e.data).split(RS).forEach(function (frame) {
            if (!frame) return;
            var msg = JSON.parse(frame);
            if (msg.type === undefined) {
              // Handshake done: from now on no event is missed; catch up on anything that happened while connecting.
              if (msg.error) { ws.close(); return; }
              if (status) status.textContent = "● trực tuyến";
              document.body.setAttribute("data-live", "1");
              refresh();
              return;
            }
            if (msg.type === 1 && events.indexOf(msg.target) >= 0) refresh();
            if (msg.type === 6) ws.send(JSON.stringify({ type: 6 }) + RS);
          });
        };
        ws.onclose = function () {
          document.body.removeAttribute("data-live");
          if (status) status.textContent = "○ mất kết nối, đang thử lại…";
          setTimeout(function () { connect(events, status); }, 3000);
        };
      })
      .catch(function () { setTimeout(function () { connect(events, status); }, 5000); });
  }

  window.CcConsole = { live: function (events) { connect(events, document.getElementById("live-status")); } };

  // The page names its events on the script tag (data-live="queue,conversation"): no inline script, so the console's
  // Content-Security-Policy can forbid them.
  var self = document.currentScript;
  if (self && self.dataset.live) window.CcConsole.live(self.dataset.live.split(","));
})();
