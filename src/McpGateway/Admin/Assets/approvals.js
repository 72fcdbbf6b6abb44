// The approver page (issue 22). Plain script, no build step. Every value from the gateway goes into the
// page through textContent, never as markup. All URLs are relative, so the page works under any prefix.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const cards = new Map();
  let csrf = null;
  let poll = null;
  let sessionEnd = null;

  // Expiry is the gateway's to judge: a phone whose clock runs fast or slow would otherwise count down to the
  // wrong moment. Every answer's Date header gives the gateway's time, to a second; now() is that time.
  let skew = 0;
  const now = () => Date.now() + skew;

  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method === "POST" && csrf) headers["X-Mcpgw-Csrf"] = csrf;
    try {
      const response = await fetch("ui/api/" + path, {
        method, headers, credentials: "same-origin", cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const date = Date.parse(response.headers.get("Date") || "");
      if (!Number.isNaN(date) && Math.abs(date - now()) > 1500) skew = date - Date.now();
      let data = null;
      try { data = await response.json(); } catch { data = null; }
      return { status: response.status, data };
    } catch {
      return { status: 0, data: { error: "the gateway could not be reached; check the connection" } };
    }
  }

  const sentence = (text) => text ? text.charAt(0).toUpperCase() + text.slice(1) + "." : "";
  const problem = (result) => sentence(result.data && result.data.error ? result.data.error : "the gateway answered " + result.status);
  const notice = (text) => { $("notice").textContent = text; };

  function showSignIn(message) {
    csrf = null;
    clearInterval(poll);
    clearTimeout(sessionEnd);
    cards.clear();
    $("list").replaceChildren();
    $("approvals").hidden = true;
    $("who").hidden = true;
    $("sign-in").hidden = false;
    notice(message);
    $("credential").focus();
  }

  async function signedIn(session) {
    csrf = session.csrf_token;
    $("who-name").textContent = "Signed in as " + session.admin;
    $("who").hidden = false;
    $("sign-in").hidden = true;
    $("approvals").hidden = false;
    clearTimeout(sessionEnd);
    sessionEnd = setTimeout(() => showSignIn("Your session ended. Sign in again."), Math.max(0, Date.parse(session.expires_at) - now()));
    await refresh();
    await showLinked();
    poll = setInterval(() => { if (!document.hidden) refresh(); }, 5000);
  }

  async function refresh() {
    const result = await call("GET", "approvals");
    if (result.status === 401) return showSignIn(problem(result));
    if (result.status !== 200) return notice(problem(result));
    const pending = new Set();
    for (const record of result.data.approvals) {
      pending.add(record.id);
      if (!cards.has(record.id)) addCard(record);
    }
    for (const [id, card] of cards) {
      if (!pending.has(id) && !card.decided) await describe(id, card);
    }
    $("count").textContent = String(pending.size);
    $("empty").hidden = pending.size > 0;
  }

  // A link from the webhook names one approval (#apr_...): bring it into view, or say what became of it.
  async function showLinked() {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!/^apr_[A-Za-z0-9_-]{1,59}$/.test(id)) return;
    if (!cards.has(id)) {
      const result = await call("GET", "approvals/" + encodeURIComponent(id));
      if (result.status === 404) return notice("Approval " + id + " does not exist (or has been removed).");
      if (result.status !== 200) return notice(problem(result));
      const card = addCard(result.data);
      if (result.data.status !== "pending" || Date.parse(result.data.expires_at) <= now()) settle(card, outcomeOf(result.data));
    }
    cards.get(id).element.scrollIntoView({ block: "center" });
  }

  function addCard(record) {
    const element = $("card").content.firstElementChild.cloneNode(true);
    const field = (name) => element.querySelector('[data-field="' + name + '"]');
    element.id = record.id;
    field("tool").textContent = record.tool;
    field("server").textContent = record.server;
    field("grant").textContent = record.grant;
    showArguments(field("arguments"), record);
    field("policy").textContent = (record.policy || "-") + (record.policy_version ? ", version " + record.policy_version : "") + (record.rule ? ", rule " + record.rule : "");
    field("expires").textContent = "(" + new Date(record.expires_at).toLocaleString() + ")";
    field("id").textContent = record.id;
    const card = { record, element, field, decided: false };
    element.querySelector('[data-action="approve"]').addEventListener("click", () => decide(card, true));
    element.querySelector('[data-action="reject"]').addEventListener("click", () => decide(card, false));
    cards.set(record.id, card);
    $("list").append(element);
    tick(card);
    return card;
  }

  // Values appear only where the rule opted in (include_arguments); always as text, never as markup.
  function showArguments(target, record) {
    if (!record.argument_keys.length) { target.textContent = "none"; return; }
    if (record.arguments && typeof record.arguments === "object" && !Array.isArray(record.arguments)) {
      target.classList.add("values");
      target.textContent = record.argument_keys.map((key) => key + " = " + JSON.stringify(record.arguments[key])).join("\n");
      return;
    }
    const why = record.arguments_too_large ? " (values too large to show)" : " (values not shown)";
    target.textContent = record.argument_keys.join(", ") + why;
  }

  function settle(card, text) {
    card.decided = true;
    card.element.classList.add("decided");
    card.field("outcome").textContent = text;
    card.field("countdown").textContent = "-";
    for (const control of card.element.querySelectorAll("button, textarea")) control.disabled = true;
  }

  function outcomeOf(record) {
    const who = record.decided_by ? " by " + record.decided_by : "";
    const note = record.note ? " Note: " + record.note : "";
    switch (record.status) {
      case "approved": return "Already approved" + who + "." + note;
      case "rejected": return "Already rejected" + who + "." + note;
      case "consumed": return "Approved" + who + " and already used by the agent's retry.";
      default: return Date.parse(record.expires_at) <= now() ? "Expired: nobody decided in time. The agent must ask again." : "Still pending.";
    }
  }

  async function describe(id, card) {
    const result = await call("GET", "approvals/" + encodeURIComponent(id));
    if (result.status === 401) return showSignIn(problem(result));
    settle(card, result.status === 200 ? outcomeOf(result.data) : result.status === 404 ? "This approval no longer exists." : problem(result));
  }

  async function decide(card, approve) {
    for (const control of card.element.querySelectorAll("button")) control.disabled = true;
    const note = card.field("note").value.trim();
    const result = await call("POST", "approvals/" + encodeURIComponent(card.record.id) + (approve ? "/approve" : "/reject"), note ? { note } : {});
    if (result.status === 200) {
      const by = result.data.decided_by;
      settle(card, (approve ? "Approved by " + by + ". The agent's identical retry will run once." : "Rejected by " + by + ". The agent's retry is denied.") + (note ? " Note: " + note : ""));
      $("count").textContent = String([...cards.values()].filter((c) => !c.decided).length);
    } else if (result.status === 409) {
      await describe(card.record.id, card);
    } else if (result.status === 404) {
      settle(card, "This approval no longer exists.");
    } else if (result.status === 401) {
      showSignIn(problem(result));
    } else {
      card.field("outcome").textContent = problem(result);
      for (const control of card.element.querySelectorAll("button")) control.disabled = false;
    }
  }

  function tick(card) {
    if (card.decided) return;
    const left = Math.floor((Date.parse(card.record.expires_at) - now()) / 1000);
    if (left <= 0) return settle(card, "Expired: nobody decided in time. The agent must ask again.");
    const hours = Math.floor(left / 3600), minutes = Math.floor(left / 60) % 60, seconds = left % 60;
    card.field("countdown").textContent = "in " + (hours ? hours + " h " : "") + minutes + " min " + String(seconds).padStart(2, "0") + " s";
  }

  async function start() {
    $("sign-in").addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = $("credential");
      const result = await call("POST", "session", { credential: input.value });
      input.value = "";
      if (result.status === 200) {
        notice("");
        await signedIn(result.data);
      } else {
        notice(problem(result));
        input.focus();
      }
    });
    $("sign-out").addEventListener("click", async () => {
      const result = await call("POST", "sign-out");
      showSignIn(result.status === 204 ? "Signed out." : problem(result));
    });
    window.addEventListener("hashchange", () => { if (csrf) showLinked(); });
    setInterval(() => { for (const card of cards.values()) tick(card); }, 1000);

    const session = await call("GET", "session");
    if (session.status === 200) await signedIn(session.data);
    else showSignIn(problem(session));

    // When the page became usable, read by the browser test that states the page's time to interactive.
    document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
  }

  start();
})();
