// The inspection form, made for a phone in a kitchen.
// Each answer is sent as soon as it changes. When the connection drops, the answer is
// kept in this browser (localStorage) and sent when the connection is back, so no work
// is lost between saves. The whole checklist is on the page: one section shows at a time
// and moving between sections loads nothing. "All other items of this section pass" sends
// one request for the section. Without JavaScript the form still saves with its buttons.
(function () {
  "use strict";
  var form = document.getElementById("section-form");
  if (!form || !window.fetch) return;
  var messages = JSON.parse(document.getElementById("inspection-messages").textContent);
  var statusBox = document.getElementById("save-status");
  var csrf = form.querySelector("input[name=csrf_token]").value;
  var inspection = form.dataset.inspection;
  var timers = {};

  function key(itemId) { return "portal:inspection:" + inspection + ":item:" + itemId; }
  function itemBox(itemId) { return form.querySelector("fieldset[data-item='" + itemId + "']"); }
  function itemUrl(itemId) { return form.dataset.itemUrl.replace(/\/0$/, "/" + itemId); }
  function say(text, kind) { statusBox.textContent = text; statusBox.className = "save-status " + (kind || ""); }

  function read(itemId) {
    var box = itemBox(itemId);
    var checked = box.querySelector("input[type=radio]:checked");
    return {
      result: checked ? checked.value : "",
      note: box.querySelector(".item-note").value,
      version: parseInt(box.querySelector(".item-version").value, 10)
    };
  }

  function show(itemId, answer) {
    var box = itemBox(itemId);
    box.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = r.value === answer.result; });
    box.querySelector(".item-note").value = answer.note;
  }

  function message(itemId, text) { itemBox(itemId).querySelector(".item-message").textContent = text || ""; }

  function save(itemId) {
    var answer = read(itemId);
    localStorage.setItem(key(itemId), JSON.stringify(answer));
    say(messages.saving);
    return fetch(itemUrl(itemId), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(answer)
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (reply) {
      if (reply.status === 200) {
        itemBox(itemId).querySelector(".item-version").value = reply.body.version;
        localStorage.removeItem(key(itemId));
        message(itemId, "");
        say(messages.saved.replace("{time}", new Date().toTimeString().slice(0, 5)), "ok");
        markComplete();
      } else if (reply.status === 409 && reply.body.current) {
        localStorage.removeItem(key(itemId));
        itemBox(itemId).querySelector(".item-version").value = reply.body.current.version;
        show(itemId, reply.body.current);
        message(itemId, reply.body.error + " " + messages.conflict + " " + messages.results[answer.result || ""] + " " + answer.note);
        say(reply.body.error, "error");
      } else {
        // Refused (a failed item without a note, say): kept here until it is fixed.
        message(itemId, reply.body.error || "");
        say(reply.body.error || "", "error");
      }
    }).catch(function () {
      say(messages.offline, "error");
    });
  }

  function later(itemId, delay) {
    clearTimeout(timers[itemId]);
    timers[itemId] = setTimeout(function () { save(itemId); }, delay);
  }

  function flushPending() {
    form.querySelectorAll("fieldset[data-item]").forEach(function (box) {
      if (localStorage.getItem(key(box.dataset.item))) save(box.dataset.item);
    });
  }

  // Answers kept from an earlier visit (the connection dropped) come back into the form.
  form.querySelectorAll("fieldset[data-item]").forEach(function (box) {
    var kept = localStorage.getItem(key(box.dataset.item));
    if (kept) show(box.dataset.item, JSON.parse(kept));
  });

  form.addEventListener("change", function (event) {
    var box = event.target.closest("fieldset[data-item]");
    if (!box) return;
    if (event.target.type === "radio") later(box.dataset.item, 0);
    if (event.target.classList.contains("photo-input")) upload(box.dataset.item, event.target);
  });
  form.addEventListener("input", function (event) {
    var box = event.target.closest("fieldset[data-item]");
    if (box && event.target.classList.contains("item-note")) later(box.dataset.item, 800);
  });
  window.addEventListener("online", flushPending);
  setInterval(flushPending, 15000);
  flushPending();

  // --- one section at a time ------------------------------------------------------------

  var sections = Array.prototype.slice.call(form.querySelectorAll(".checklist-section"));
  var steps = document.querySelectorAll(".section-steps .step");

  function showSection(number, scroll) {
    number = Math.min(Math.max(number, 1), sections.length);
    sections.forEach(function (section) {
      section.classList.toggle("current", Number(section.dataset.number) === number);
    });
    steps.forEach(function (step) {
      var current = Number(step.dataset.number) === number;
      step.classList.toggle("current", current);
      if (current) step.setAttribute("aria-current", "step"); else step.removeAttribute("aria-current");
    });
    form.dataset.current = number;
    history.replaceState(null, "", form.dataset.sectionUrl.replace(/\/0$/, "/" + number));
    if (scroll) window.scrollTo(0, 0);
  }

  function markComplete() {
    sections.forEach(function (section, index) {
      var boxes = section.querySelectorAll("fieldset[data-item]");
      var answered = section.querySelectorAll("fieldset[data-item] input[type=radio]:checked").length;
      if (steps[index]) steps[index].classList.toggle("complete", answered === boxes.length);
    });
  }

  function review() {
    var pending = [];
    form.querySelectorAll("fieldset[data-item]").forEach(function (box) {
      if (localStorage.getItem(key(box.dataset.item))) pending.push(save(box.dataset.item));
    });
    Promise.all(pending).then(function () { window.location = form.dataset.reviewUrl; });
  }

  function next(number) {
    if (number >= sections.length) review(); else showSection(number + 1, true);
  }

  function passSection(number) {
    var section = sections[number - 1];
    var open = Array.prototype.filter.call(section.querySelectorAll("fieldset[data-item]"), function (box) {
      return !box.querySelector("input[type=radio]:checked");
    });
    open.forEach(function (box) { box.querySelector(".result-pass input").checked = true; });
    say(messages.saving);
    fetch(form.dataset.passUrl.replace(/\/0\/all-pass$/, "/" + number + "/all-pass"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      credentials: "same-origin",
      body: "{}"
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (reply) {
      if (reply.status !== 200) throw new Error(reply.body.error);
      reply.body.items.forEach(function (item) {
        itemBox(item.id).querySelector(".item-version").value = item.version;
      });
      say(messages.saved.replace("{time}", new Date().toTimeString().slice(0, 5)), "ok");
      markComplete();
      next(number);
    }).catch(function () {
      // Offline: each answer is kept on the phone and sent when the connection is back.
      open.forEach(function (box) { save(box.dataset.item); });
      markComplete();
      next(number);
    });
  }

  if (sections.length) {
    form.classList.add("one-section");
    var fromHash = /^#section-(\d+)$/.exec(window.location.hash);
    showSection(fromHash ? Number(fromHash[1]) : Number(form.dataset.current), false);
    steps.forEach(function (step) {
      step.addEventListener("click", function (event) {
        event.preventDefault();
        showSection(Number(step.dataset.number), true);
      });
    });
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var number = Number(button.closest(".checklist-section").dataset.number);
      if (button.classList.contains("all-pass")) { event.preventDefault(); passSection(number); }
      else if (button.classList.contains("go-to")) { event.preventDefault(); showSection(Number(button.value), true); }
      else if (button.classList.contains("go-review")) { event.preventDefault(); review(); }
    });
  }

  function upload(itemId, input) {
    if (!input.files.length) return;
    var data = new FormData();
    data.append("csrf_token", csrf);
    data.append("item_id", itemId);
    data.append("photo", input.files[0]);
    fetch(form.dataset.photoUrl, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (reply) {
      if (reply.status !== 200) { message(itemId, reply.body.error); return; }
      var strip = itemBox(itemId).querySelector(".item-photos");
      var img = document.createElement("img");
      img.src = reply.body.url; img.alt = "";
      strip.appendChild(img);
      input.value = "";
      say(messages.photo_saved, "ok");
    }).catch(function () { message(itemId, messages.photo_failed); });
  }
})();
