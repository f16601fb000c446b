// A stand-in for Google Apps Script's FormApp and Logger, to run a built .gs file in
// node: every call the script makes is checked against the methods FormApp has (a
// misspelt method is a TypeError), and the form it builds is printed as JSON.
"use strict";
const fs = require("fs");
const vm = require("vm");

const items = [];
const logs = [];
const form = { title: null, description: null, settings: {} };

function item(type, extra) {
  const it = { type: type, title: null, help: "", required: false, choices: [],
               rows: [], columns: [], other: false, validation: null };
  const api = {
    setTitle(t) { check(t); it.title = t; return api; },
    setHelpText(t) { check(t); it.help = t; return api; },
    setRequired(b) { it.required = b === true; return api; },
  };
  for (const name of extra) {
    if (name === "setChoiceValues") api.setChoiceValues = (v) => { v.forEach(check); it.choices = v; return api; };
    if (name === "showOtherOption") api.showOtherOption = (b) => { it.other = b === true; return api; };
    if (name === "setRows") api.setRows = (v) => { v.forEach(check); it.rows = v; return api; };
    if (name === "setColumns") api.setColumns = (v) => { v.forEach(check); it.columns = v; return api; };
    if (name === "setValidation") api.setValidation = (v) => { it.validation = v; return api; };
  }
  items.push(it);
  return api;
}

function check(t) {
  if (typeof t !== "string") throw new TypeError("not a string: " + JSON.stringify(t));
}

const formApi = {
  setDescription(t) { check(t); form.description = t; return formApi; },
  setCollectEmail(b) { form.settings.collectEmail = b; return formApi; },
  setProgressBar(b) { form.settings.progressBar = b; return formApi; },
  setAllowResponseEdits(b) { form.settings.allowResponseEdits = b; return formApi; },
  setShowLinkToRespondAgain(b) { form.settings.respondAgain = b; return formApi; },
  setConfirmationMessage(t) { check(t); form.settings.confirmation = t; return formApi; },
  addMultipleChoiceItem() { return item("multiple_choice", ["setChoiceValues", "showOtherOption"]); },
  addCheckboxItem() { return item("checkbox", ["setChoiceValues", "showOtherOption"]); },
  addListItem() { return item("list", ["setChoiceValues"]); },
  addGridItem() { return item("grid", ["setRows", "setColumns"]); },
  addTextItem() { return item("text", ["setValidation"]); },
  addParagraphTextItem() { return item("paragraph", []); },
  addPageBreakItem() { return item("page_break", []); },
  addSectionHeaderItem() { return item("section_header", []); },
  getEditUrl() { return "https://docs.google.com/forms/d/ID/edit"; },
  getPublishedUrl() { return "https://docs.google.com/forms/d/e/ID/viewform"; },
};

function validationBuilder() {
  const v = { number: false, help: "" };
  const b = {
    setHelpText(t) { check(t); v.help = t; return b; },
    requireNumber() { v.number = true; return b; },
    build() { return v; },
  };
  return b;
}

const sandbox = {
  FormApp: {
    create(title) { check(title); form.title = title; return formApi; },
    createTextValidation: validationBuilder,
  },
  Logger: { log(t) { logs.push(String(t)); } },
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), sandbox, { filename: process.argv[2] });
if (typeof sandbox.createForm !== "function") throw new Error("no createForm function");
sandbox.createForm();
process.stdout.write(JSON.stringify({ form: form, items: items, logs: logs }));
