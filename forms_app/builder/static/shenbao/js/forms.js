/* Progressive enhancement for application forms. The server checks everything
   again: this file only makes filling in easier (counters, conditions, rows, totals). */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "zh-Hans";
  var zh = lang.indexOf("zh") === 0;

  function countText(el) {
    var out = document.querySelector('[data-counter-for="' + el.id + '"]');
    if (!out) return;
    var n = Array.from(el.value).length, max = out.dataset.max, min = out.dataset.min;
    var text = zh ? "已输入 " + n + " 字" : n + " characters";
    if (max) text += zh ? "，上限 " + max + " 字" : " of at most " + max;
    if (min && n < +min) text += zh ? "（至少 " + min + " 字）" : " (at least " + min + ")";
    out.textContent = text;
    out.classList.toggle("is-over", !!max && n > +max);
  }

  function valuesOf(key) {
    var box = document.querySelector('[data-field-key="' + key + '"]');
    if (!box) return null; // not on this page: the server decides
    if (box.closest("[hidden]")) return false; // a rule on a hidden field is not met
    var values = [];
    box.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.type === "hidden" || el.type === "file") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.value.trim()) values.push(el.value.trim());
    });
    return values;
  }

  // One rule {field, op, value}, as FormSchema.rule_holds decides it on the server.
  function ruleHolds(rule) {
    var values = valuesOf(rule.field);
    if (values === null) return rule.known !== undefined ? rule.known : true; // another step: the server said
    if (values === false) return false;
    var wanted = (rule.value || "").trim(), op = rule.op || "equals";
    var yes = { yes: 1, "是": 1, "true": 1, "1": 1 }, no = { no: 1, "否": 1, "false": 1, "0": 1 };
    values = values.map(function (v) { return v === "yes" ? "是|yes" : v === "no" ? "否|no" : v; }).join("|").split("|").filter(Boolean);
    if (op === "filled") return values.length > 0;
    if (op === "not_filled") return values.length === 0;
    var matched;
    if (op === "contains") matched = values.some(function (v) { return v.indexOf(wanted) >= 0; });
    else matched = values.indexOf(wanted) >= 0 || (wanted in yes && values.indexOf("yes") >= 0) || (wanted in no && values.indexOf("no") >= 0);
    return op === "not_equals" ? !matched : matched;
  }

  // data-condition holds {join: "all"|"any", rules: [...]}.
  function holds(el) {
    var condition;
    try { condition = JSON.parse(el.dataset.condition); } catch (e) { return true; }
    var rules = condition.rules || [];
    if (!rules.length) return true;
    return condition.join === "any" ? rules.some(ruleHolds) : rules.every(ruleHolds);
  }

  function applyConditions() {
    document.querySelectorAll("[data-condition]").forEach(function (el) {
      var show = holds(el);
      el.hidden = !show;
      el.querySelectorAll("input, select, textarea, button").forEach(function (i) { i.disabled = !show; });
    });
    document.querySelectorAll("[data-other-for]").forEach(function (box) {
      var group = box.parentElement.querySelector(".choice-group");
      var chosen = Array.from(group.querySelectorAll("input:checked, option:checked")).map(function (i) { return i.value; });
      var input = box.querySelector("input");
      var on = chosen.indexOf(box.dataset.otherLabel) >= 0 || (input && input.value.trim() !== "");
      box.hidden = !on;
    });
  }

  function number(v) { var n = parseFloat(String(v).replace(/,/g, "")); return isNaN(n) ? 0 : n; }
  function fmt(n) { return Math.round(n * 10000) / 10000 + ""; }

  function updateTotals(table) {
    table.querySelectorAll("output[data-total]").forEach(function (out) {
      var sum = 0;
      table.querySelectorAll('tbody input[data-number="' + out.dataset.total + '"]').forEach(function (i) { if (!i.disabled) sum += number(i.value); });
      out.textContent = fmt(sum);
    });
    var grand = 0;
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      var rowOut = tr.querySelector("output[data-row-total]");
      if (!rowOut) return;
      var sum = 0;
      tr.querySelectorAll("input[data-number]").forEach(function (i) { sum += number(i.value); });
      rowOut.textContent = fmt(sum);
      grand += sum;
    });
    var g = table.querySelector("output[data-grand-total]");
    if (g) g.textContent = fmt(grand);
  }

  function renumber(box) {
    var name = box.dataset.table, rows = box.querySelectorAll("tbody tr[data-row]");
    rows.forEach(function (tr, index) {
      var num = tr.querySelector("[data-row-number]");
      if (num) num.textContent = index + 1;
      var prefix = new RegExp("^(id_)?" + name + "-\\d+-");
      tr.querySelectorAll("input, select").forEach(function (el) {
        el.name = el.name.replace(prefix, name + "-" + index + "-");
        if (el.id) el.id = el.id.replace(prefix, "$1" + name + "-" + index + "-");
      });
      tr.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(prefix, "$1" + name + "-" + index + "-");
      });
    });
    box.querySelector("[data-row-count]").value = rows.length;
    var add = box.querySelector("[data-add-row]");
    if (add) add.disabled = rows.length >= +box.dataset.maxRows;
    updateTotals(box);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var box = add.closest("[data-table]"), body = box.querySelector("tbody");
      var last = body.querySelector("tr[data-row]:last-child");
      var row = last.cloneNode(true);
      row.querySelectorAll("input, select").forEach(function (el) { el.value = ""; });
      body.appendChild(row);
      renumber(box);
      var first = row.querySelector("input, select");
      if (first) first.focus();
    }
    // The private link is there to be copied: one click selects it whole.
    var select = event.target.closest("[data-select-on-click]");
    if (select) select.select();
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var table = remove.closest("[data-table]");
      var rows = table.querySelectorAll("tbody tr[data-row]");
      if (rows.length > 1) { remove.closest("tr").remove(); } else { rows[0].querySelectorAll("input, select").forEach(function (el) { el.value = ""; }); }
      renumber(table);
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-counter]")) countText(event.target);
    var table = event.target.closest(".answer-table");
    if (table) updateTotals(table);
    applyConditions();
  });
  document.addEventListener("change", applyConditions);

  // A second click on "Submit" would only wait for the first (the server makes one
  // submission either way); disabling the button says that something is happening.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-submit-once]")) return;
    if (form.dataset.submitting) { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-counter]").forEach(function (el) {
      // The counter flags text over the limit; maxlength would instead cut pasted text silently.
      var out = document.querySelector('[data-counter-for="' + el.id + '"]');
      if (out && out.dataset.max) el.removeAttribute("maxlength");
      countText(el);
    });
    document.querySelectorAll(".answer-table").forEach(updateTotals);
    document.querySelectorAll("[data-table]").forEach(function (box) {
      var add = box.querySelector("[data-add-row]");
      if (add) add.disabled = box.querySelectorAll("tbody tr[data-row]").length >= +box.dataset.maxRows;
    });
    applyConditions();
  });
})();
