"use strict";
// The sandbox chat page. Everything the bot sent is rendered with DOM nodes and
// textContent, never innerHTML, so text such as "<script>" shows exactly as typed.

const $ = (id) => document.getElementById(id);
const API = "/sandbox/api";
const ui = { userId: null, version: -1, snapshot: null, replyTo: null, tab: "chat",
  seenNotices: new Set(), noticeUsers: new Set(), poll: null, lastRenderedChat: "" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

async function post(path, body) {
  const response = await fetch(API + path, { method: "POST",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) toast(data.error || `Request failed (${response.status})`);
  return data;
}

function toast(text) {
  const node = el("div", { class: "toast", "data-testid": "toast", role: "status" }, text);
  $("toasts").append(node);
  setTimeout(() => node.remove(), 4000);
}

function showAlert(text) {
  $("alert-text").textContent = text;
  $("alert").hidden = false;
  $("alert-ok").focus();
}

// Only schemes that cannot run script in the page are ever put into an href.
function safeHref(url) {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : "http://" + url;
  return /^(https?|tg|mailto):/i.test(withScheme) ? withScheme : null;
}

async function openLink(url) {
  // Telegram opens links to the bot (t.me/<bot>?start=...) inside the chat as /start.
  const result = await post(`/users/${ui.userId}/link`, { url });
  if (result.result && result.result.deep_link) { switchTab("chat"); return; }
  const href = safeHref(url);
  if (href) window.open(href, "_blank", "noopener");
}

function linkNode(url, label) {
  const href = safeHref(url);
  if (!href) return el("span", {}, label);
  return el("a", { href, class: "link-entity", onclick: (event) => {
    event.preventDefault(); openLink(url); } }, label);
}

function entityNode(entity, slice) {
  switch (entity.type) {
    case "bold": return el("strong");
    case "italic": return el("em");
    case "underline": return el("u");
    case "strikethrough": return el("s");
    case "code": return el("code");
    case "pre": return el("pre", { "data-language": entity.language || null });
    case "blockquote": case "expandable_blockquote": return el("blockquote");
    case "spoiler": return el("span", { class: "spoiler", title: "Spoiler",
      onclick: (e) => e.currentTarget.classList.add("revealed") });
    case "text_link": return linkNode(entity.url, "");
    case "url": return linkNode(slice, "");
    case "email": return el("a", { href: "mailto:" + slice });
    case "bot_command": return el("a", { href: "#", class: "command", onclick: (event) => {
      event.preventDefault(); sendText(slice); } });
    case "mention": case "hashtag": case "text_mention": return el("span", { class: "mention" });
    default: return el("span");
  }
}

// Offsets are UTF-16 code units, which is exactly how JavaScript indexes strings.
function renderFormatted(text, entities) {
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  function build(start, end, list) {
    const fragment = document.createDocumentFragment();
    let pos = start, i = 0;
    while (i < list.length) {
      const entity = list[i];
      if (entity.offset < pos) { i++; continue; }
      if (entity.offset > pos) fragment.append(text.slice(pos, entity.offset));
      const stop = Math.min(entity.offset + entity.length, end);
      const inner = [];
      let j = i + 1;
      for (; j < list.length && list[j].offset < stop; j++) {
        if (list[j].offset + list[j].length <= stop) inner.push(list[j]);
      }
      const node = entityNode(entity, text.slice(entity.offset, stop));
      node.append(build(entity.offset, stop, inner));
      fragment.append(node);
      pos = stop; i = j;
    }
    if (pos < end) fragment.append(text.slice(pos, end));
    return fragment;
  }
  return build(0, text.length, sorted);
}

function mediaNode(message) {
  const file = message.file;
  if (!file) return null;
  const src = `${API}/files/${encodeURIComponent(file.file_id)}`;
  if (message.media_kind === "photo") return el("img", { class: "photo", src, alt: "photo" });
  if (message.media_kind === "voice" || message.media_kind === "audio") {
    return el("audio", { controls: "", src });
  }
  const name = file.file_name || message.media_kind;
  return el("a", { class: "file", href: src, target: "_blank", "data-testid": "file" },
    el("span", { class: "file-icon" }, "📄"), el("span", {}, name),
    el("span", { class: "file-size" }, file.size ? ` ${Math.ceil(file.size / 1024)} KB` : ""));
}

function inlineKeyboard(message) {
  const rows = (message.reply_markup && message.reply_markup.inline_keyboard) || [];
  if (message.invoice && !rows.length) {
    // Without a keyboard of its own an invoice gets Telegram's default Pay button.
    return el("div", { class: "inline-keyboard" }, el("div", { class: "kb-row" },
      payButton(message, `Pay ${message.invoice.total_text}`)));
  }
  if (!rows.length) return null;
  return el("div", { class: "inline-keyboard" }, ...rows.map((row, r) => el("div", { class: "kb-row" },
    ...row.map((button, c) => button.pay && message.invoice ? payButton(message, button.text) :
      el("button", { class: "inline-button", "data-testid": "inline-button",
      "aria-label": button.text, title: button.url || button.callback_data || "",
      onclick: () => tapInline(message, button, r, c) }, button.text,
      button.url ? el("span", { class: "arrow" }, " ↗") : null)))));
}

async function tapInline(message, button, row, col) {
  if (button.callback_data !== undefined) {
    await post(`/users/${ui.userId}/tap`, { message_id: message.message_id, row, col });
  } else if (button.url) {
    await openLink(button.url);
  } else {
    toast("This kind of button is not simulated by the sandbox.");
  }
}

function invoiceNode(invoice) {
  const status = { paid: "Paid ✓", pending: "Waiting for the bot to confirm…", unpaid: "" }[invoice.status];
  return el("div", { class: "invoice", "data-testid": "invoice" },
    el("div", { class: "invoice-title" }, invoice.title),
    el("div", { class: "invoice-description" }, invoice.description),
    el("div", { class: "invoice-total", "data-testid": "invoice-total" }, invoice.total_text),
    status ? el("div", { class: `invoice-status ${invoice.status}`, "data-testid": "invoice-status" }, status) : null);
}

// Telegram shows "Pay <total>" until the invoice is paid, then "Receipt".
function payButton(message, label) {
  const invoice = message.invoice;
  const text = invoice.status === "paid" ? "Receipt" : invoice.status === "pending" ? "Processing…" : label;
  return el("button", { class: "inline-button pay-button", "data-testid": "pay-button", "aria-label": text,
    disabled: invoice.status === "unpaid" ? null : "", onclick: () => payInvoice(message) }, text);
}

async function payInvoice(message) {
  await post(`/users/${ui.userId}/pay`, { message_id: message.message_id });
}

function serviceNode(message) {
  return el("div", { class: "service", "data-testid": "service-message", "data-message-id": message.message_id },
    message.service);
}

function messageNode(message) {
  if (message.service) return serviceNode(message);
  const side = message.from_bot ? "in" : "out";
  const bubble = el("div", { class: `bubble ${side}`, "data-testid": message.from_bot ? "bot-message" : "user-message",
    "data-message-id": message.message_id });
  if (message.reply_to) {
    bubble.append(el("div", { class: "quote" }, message.reply_to.preview));
  }
  bubble.append(mediaNode(message) || "");
  const text = message.text !== null ? message.text : message.caption;
  const entities = message.text !== null ? message.entities : message.caption_entities;
  if (text) bubble.append(el("div", { class: "text", "data-testid": "message-text" }, renderFormatted(text, entities)));
  if (message.invoice) bubble.append(invoiceNode(message.invoice));
  const time = new Date(message.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  bubble.append(el("div", { class: "meta" }, message.edited ? el("span", { class: "edited", "data-testid": "edited" }, "edited ") : null,
    time, el("button", { class: "link reply-link", "data-testid": "reply-to", "aria-label": "Reply",
      onclick: () => startReply(message) }, "Reply")));
  const wrapper = el("div", { class: `row ${side}` }, bubble);
  const keyboard = inlineKeyboard(message);
  if (keyboard) wrapper.append(keyboard);
  return wrapper;
}

function startReply(message) {
  ui.replyTo = message.message_id;
  $("reply-preview").textContent = "Reply to: " + ((message.text || message.caption || `[${message.media_kind}]`).slice(0, 80));
  $("reply-bar").hidden = false;
  $("text").focus();
}

function clearReply() { ui.replyTo = null; $("reply-bar").hidden = true; }

function renderUsers(snapshot) {
  const list = $("users");
  list.replaceChildren(...snapshot.users.map((user) => {
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
    return el("li", { class: "user" + (user.id === ui.userId ? " active" : ""), "data-testid": "user-item",
      "data-user-id": user.id, tabindex: "0", role: "button", "aria-label": name,
      onclick: () => selectUser(user.id), onkeydown: (e) => { if (e.key === "Enter") selectUser(user.id); } },
    el("div", { class: "avatar" }, name.slice(0, 1).toUpperCase()),
    el("div", { class: "user-text" }, el("div", { class: "user-name" }, name, user.blocked ? " 🚫" : ""),
      el("div", { class: "user-preview" }, [user.username && "@" + user.username, user.preview].filter(Boolean).join(" · "))));
  }));
}

function renderChat(snapshot) {
  const chat = snapshot.chat;
  const user = snapshot.users.find((u) => u.id === ui.userId);
  $("empty").hidden = !!chat;
  $("conversation").hidden = !chat;
  if (!chat || !user) return;
  $("chat-title").textContent = [user.first_name, user.last_name].filter(Boolean).join(" ");
  $("chat-subtitle").textContent = chat.action ? `bot is ${chat.action.replace("_", " ")}…`
    : `id ${user.id}${user.username ? " · @" + user.username : ""} · chatting with @${snapshot.bot.username}`;
  $("block-toggle").textContent = user.blocked ? "Unblock" : "Block bot";
  $("composer").hidden = user.blocked;
  $("blocked-bar").hidden = !user.blocked;
  const key = JSON.stringify(chat.messages);
  if (key !== ui.lastRenderedChat) {
    const box = $("messages");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.replaceChildren(...chat.messages.map(messageNode));
    if (atBottom || ui.lastRenderedChat === "") box.scrollTop = box.scrollHeight;
    ui.lastRenderedChat = key;
  }
  const keyboard = chat.reply_keyboard;
  $("reply-keyboard").hidden = !keyboard;
  $("reply-keyboard").replaceChildren(...(keyboard ? keyboard.keyboard : []).map((row) => el("div", { class: "kb-row" },
    ...row.map((button) => el("button", { class: "reply-button", "data-testid": "reply-button", "aria-label": button.text,
      onclick: () => sendText(button.text) }, button.text)))));
  const placeholder = (chat.force_reply || keyboard || {}).input_field_placeholder;
  $("text").placeholder = placeholder || "Write a message…";
  $("commands").replaceChildren(...(snapshot.commands || []).map((c) => el("button", { class: "command-item",
    onclick: () => { $("commands").hidden = true; sendText("/" + c.command); } },
    el("strong", {}, "/" + c.command), " ", c.description)));
  renderMail(snapshot);
}

function mailBody(mail) {
  const body = el("div", { class: "mail-body" });
  let rest = mail.text;
  const links = [...mail.links].sort((a, b) => rest.indexOf(a) - rest.indexOf(b));
  for (const link of links) {
    const at = rest.indexOf(link);
    if (at < 0) continue;
    body.append(rest.slice(0, at), el("a", { href: safeHref(link) || "#", class: "mail-link", "data-testid": "mail-link",
      onclick: (e) => { e.preventDefault(); openLink(link); } }, link));
    rest = rest.slice(at + link.length);
  }
  body.append(rest);
  const extra = mail.links.filter((l) => !mail.text.includes(l));
  for (const link of extra) body.append(el("div", {}, el("a", { href: "#", class: "mail-link", "data-testid": "mail-link",
    onclick: (e) => { e.preventDefault(); openLink(link); } }, link)));
  return body;
}

function renderMail(snapshot) {
  const showAll = $("mail-all").checked;
  const mails = snapshot.mails.filter((m) => showAll || m.mine);
  $("mail-count").textContent = snapshot.mails.filter((m) => m.mine).length || "";
  $("mails").replaceChildren(...(mails.length ? mails.map((mail) => el("article", { class: "mail", "data-testid": "mail" },
    el("div", { class: "mail-subject" }, mail.subject || "(no subject)"),
    el("div", { class: "mail-meta" }, `From ${mail.from} to ${mail.to.join(", ")} · ${new Date(mail.received_at * 1000).toLocaleString()}`),
    mailBody(mail))) : [el("p", { class: "hint" }, showAll ? "No mail yet." : "No mail to the addresses this user typed yet.")]));
}

function renderErrors(snapshot) {
  $("errors-toggle").textContent = `Bot API errors: ${snapshot.error_count}`;
  $("errors-toggle").classList.toggle("has-errors", snapshot.error_count > 0);
  $("errors-list").replaceChildren(...snapshot.errors.map((e) => el("li", {}, el("strong", {}, e.method), " ", e.description)));
}

function handleNotices(snapshot) {
  const fresh = !ui.noticeUsers.has(ui.userId);
  ui.noticeUsers.add(ui.userId);
  for (const notice of snapshot.notices) {
    if (ui.seenNotices.has(notice.id)) continue;
    ui.seenNotices.add(notice.id);
    if (fresh) continue; // do not replay old popups when switching to a user
    if (notice.kind === "alert") showAlert(notice.text);
    else if (notice.kind === "toast") toast(notice.text);
  }
}

function render(snapshot) {
  ui.snapshot = snapshot;
  $("bot-name").textContent = `@${snapshot.bot.username}`;
  renderUsers(snapshot);
  renderErrors(snapshot);
  // A snapshot fetched just before switching users belongs to the previous user.
  if (snapshot.chat && snapshot.chat.user_id !== ui.userId) return;
  if (ui.userId !== null) { handleNotices(snapshot); renderChat(snapshot); }
}

async function pollLoop() {
  for (;;) {
    const controller = new AbortController();
    ui.poll = controller;
    try {
      const query = `since=${ui.version}` + (ui.userId !== null ? `&user=${ui.userId}` : "");
      const response = await fetch(`${API}/state?${query}`, { signal: controller.signal });
      const snapshot = await response.json();
      ui.version = snapshot.version;
      render(snapshot);
    } catch (error) {
      if (error.name !== "AbortError") await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function refresh() { ui.version = -1; if (ui.poll) ui.poll.abort(); }

// On a phone the user list folds away once a user is chosen (the CSS ignores it on wide screens).
function foldUsers(folded) {
  document.querySelector(".sidebar").classList.toggle("folded", folded);
  $("users-toggle").setAttribute("aria-expanded", String(!folded));
  $("users-toggle").textContent = folded ? "👥 Users ▾" : "👥 Users ▴";
}

function selectUser(id) {
  foldUsers(true);
  if (ui.userId === id) return;
  ui.userId = id;
  ui.lastRenderedChat = "";
  clearReply();
  refresh();
}

function switchTab(tab) {
  ui.tab = tab;
  $("chat-pane").hidden = tab !== "chat";
  $("mail-pane").hidden = tab !== "mail";
  $("tab-chat").classList.toggle("active", tab === "chat");
  $("tab-mail").classList.toggle("active", tab === "mail");
}

async function sendText(text) {
  if (!text.trim() || ui.userId === null) return;
  const body = { text };
  if (ui.replyTo) body.reply_to = ui.replyTo;
  clearReply();
  await post(`/users/${ui.userId}/send`, body);
}

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("text").value;
  $("text").value = "";
  await sendText(text);
});

$("new-user").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = await post("/users", { first_name: $("nu-first").value,
    last_name: $("nu-last").value, username: $("nu-username").value.replace(/^@/, "") });
  if (data.ok) { $("new-user").reset(); selectUser(data.result.id); }
});

$("users-toggle").addEventListener("click", () =>
  foldUsers(!document.querySelector(".sidebar").classList.contains("folded")));
$("attach").addEventListener("click", () => $("file-input").click());
$("file-input").addEventListener("change", async () => {
  const file = $("file-input").files[0];
  if (!file || ui.userId === null) return;
  const form = new FormData();
  form.append("file", file);
  form.append("kind", file.type.startsWith("image/") ? "photo" : "document");
  form.append("caption", $("text").value);
  if (ui.replyTo) form.append("reply_to", ui.replyTo);
  $("text").value = "";
  clearReply();
  $("file-input").value = "";
  const response = await fetch(`${API}/users/${ui.userId}/upload`, { method: "POST", body: form });
  if (!response.ok) toast("Upload failed");
});

$("block-toggle").addEventListener("click", () => {
  const user = ui.snapshot.users.find((u) => u.id === ui.userId);
  post(`/users/${ui.userId}/block`, { blocked: !user.blocked });
});
$("restart").addEventListener("click", () => post(`/users/${ui.userId}/block`, { blocked: false }));
$("reply-cancel").addEventListener("click", clearReply);
$("menu-button").addEventListener("click", () => { $("commands").hidden = !$("commands").hidden; });
$("tab-chat").addEventListener("click", () => switchTab("chat"));
$("tab-mail").addEventListener("click", () => switchTab("mail"));
$("mail-all").addEventListener("change", () => ui.snapshot && renderMail(ui.snapshot));
$("alert-ok").addEventListener("click", () => { $("alert").hidden = true; });
$("errors-toggle").addEventListener("click", () => { $("errors-list").hidden = !$("errors-list").hidden; });

pollLoop();
