/* The condition editor of the form builder: a rule's field is picked from the fields above it, by
   label, and a choice field's value from its options, read from the page being edited as it is now
   (before the first save too). The rule keeps writing the block's own inputs, so what is saved is
   what the server checks: the field's key, or "#<block id>" for a new field that has no key yet,
   which the save turns into the key it suggests. */
(function () {
  "use strict";
  var Controller = window.StimulusModule && window.StimulusModule.Controller;
  if (!Controller || !window.wagtail || !window.wagtail.app) return;

  var strings = {};
  var stringsElement = document.getElementById("shenbao-condition-strings");
  if (stringsElement) strings = JSON.parse(stringsElement.textContent);
  var LABEL = /^([A-Za-z_][\w]*-\d+)-value-fields-(\d+)-value-label$/;
  var CHOICE_TYPES = { single_choice: 1, multiple_choice: 1 };
  var VALUELESS = { filled: 1, not_filled: 1 };
  var controllers = new Set();

  function named(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function lines(text) {
    var seen = {};
    return (text || "").split("\n").map(function (l) { return l.trim(); }).filter(function (l) {
      if (!l || seen[l]) return false;
      seen[l] = 1;
      return true;
    });
  }

  // Every input field of the form, in the order the editor sees them now.
  function formFields(form) {
    var fields = [];
    form.querySelectorAll('input[name$="-value-label"]').forEach(function (label) {
      if (!LABEL.test(label.name)) return;
      var prefix = label.name.slice(0, -"-value-label".length);
      var deleted = named(form, prefix + "-deleted");
      if (deleted && deleted.value === "1") return;
      var type = (named(form, prefix + "-type") || {}).value || "";
      var id = (named(form, prefix + "-id") || {}).value || "";
      var key = ((named(form, prefix + "-value-key") || {}).value || "").trim();
      var field = { prefix: prefix, label: label, type: type, ref: key || (id ? "#" + id : ""), key: key, id: id };
      if (CHOICE_TYPES[type]) {
        field.options = lines((named(form, prefix + "-value-choices") || {}).value).map(function (c) { return [c, c]; });
        var other = named(form, prefix + "-value-allow_other");
        var otherLabel = ((named(form, prefix + "-value-other_label") || {}).value || "").trim();
        if (other && other.checked && otherLabel && !field.options.some(function (o) { return o[0] === otherLabel; })) {
          field.options.push([otherLabel, otherLabel]);
        }
      } else if (type === "yes_no") {
        field.options = [
          ["yes", ((named(form, prefix + "-value-yes_label") || {}).value || "").trim() || "是"],
          ["no", ((named(form, prefix + "-value-no_label") || {}).value || "").trim() || "否"],
        ];
      }
      if (field.ref) fields.push(field);
    });
    return fields;
  }

  function fill(select, options, current, unknown) {
    var known = options.some(function (o) { return o[0] === current; });
    if (current && !known) options = options.concat([[current, unknown.replace("%s", current)]]);
    select.replaceChildren.apply(
      select,
      options.map(function (o) {
        var option = document.createElement("option");
        option.value = o[0];
        option.textContent = o[1];
        return option;
      })
    );
    select.value = current;
  }

  window.wagtail.app.register(
    "shenbao-condition-rule",
    class extends Controller {
      connect() {
        this.fieldInput = this.element.querySelector('[data-contentpath="field"] input');
        this.operator = this.element.querySelector('[data-contentpath="operator"] select');
        this.valueInput = this.element.querySelector('[data-contentpath="value"] input');
        if (!this.fieldInput || !this.operator || !this.valueInput) return;
        this.form = this.element.closest("form");
        this.fieldSelect = document.createElement("select");
        this.fieldSelect.setAttribute("data-condition-field-select", "");
        this.fieldSelect.setAttribute("aria-label", strings.field || "Field");
        this.fieldInput.hidden = true;
        this.fieldInput.after(this.fieldSelect);
        this.valueSelect = document.createElement("select");
        this.valueSelect.setAttribute("data-condition-value-select", "");
        this.valueSelect.setAttribute("aria-label", strings.value || "Value");
        this.valueInput.after(this.valueSelect);
        this.valueWrapper = this.element.querySelector('[data-contentpath="value"]');
        this.fieldSelect.addEventListener("focus", () => this.refresh());
        this.fieldSelect.addEventListener("change", () => {
          this.fieldInput.value = this.fieldSelect.value;
          this.refresh();
        });
        this.operator.addEventListener("change", () => this.refresh());
        this.valueSelect.addEventListener("change", () => { this.valueInput.value = this.valueSelect.value; });
        controllers.add(this);
        this.refresh();
      }

      disconnect() {
        controllers.delete(this);
        if (this.fieldSelect) this.fieldSelect.remove();
        if (this.valueSelect) this.valueSelect.remove();
        if (this.fieldInput) this.fieldInput.hidden = false;
        if (this.valueInput) this.valueInput.hidden = false;
      }

      // The fields above this rule's field (or step): the form's fields before it in the page.
      earlierFields() {
        var input = this.fieldInput;
        return formFields(this.form).filter(function (field) {
          if (input.name.indexOf(field.prefix + "-") === 0) return false; // the field's own rule
          return !!(field.label.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING);
        });
      }

      refresh() {
        if (!this.form || !this.fieldInput.isConnected) return;
        var fields = this.earlierFields();
        // A key given since the rule picked the field by its block id: the rule now names the key.
        var current = this.fieldInput.value;
        fields.forEach(function (f) { if (f.id && current === "#" + f.id) current = f.ref; });
        this.fieldInput.value = current;
        var options = [["", strings.choose || "—"]].concat(fields.map(function (f) {
          var label = f.label.value.trim() || f.key || "?";
          return [f.ref, f.key ? label + " (" + f.key + ")" : label];
        }));
        fill(this.fieldSelect, options, current, strings.unknown || "%s");
        var picked = fields.find(function (f) { return f.ref === current; });
        var op = this.operator.value;
        this.valueWrapper.hidden = !!VALUELESS[op];
        var useSelect = picked && picked.options && op !== "contains";
        this.valueInput.hidden = !!useSelect;
        this.valueSelect.hidden = !useSelect;
        if (useSelect) {
          if (!this.valueInput.value && picked.options.length) this.valueInput.value = picked.options[0][0];
          fill(this.valueSelect, picked.options.slice(), this.valueInput.value, strings.unknown || "%s");
        }
      }
    }
  );

  // Labels, keys and options typed anywhere in the form change what the rules offer.
  var pending = null;
  function refreshAll(event) {
    if (event && event.target && event.target.matches && event.target.matches("[data-condition-field-select], [data-condition-value-select]")) return;
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = null;
      controllers.forEach(function (c) { c.refresh(); });
    });
  }
  document.addEventListener("input", refreshAll);
  document.addEventListener("change", refreshAll);
  document.addEventListener("click", refreshAll);
})();
