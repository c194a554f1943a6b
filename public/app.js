// Progressive enhancement for the upload form. The server stays the authority: everything here
// only helps before sending, and the form works the same with JavaScript turned off. The script
// holds no text: every message comes from the catalogue through the form's data-msg-* attributes.
'use strict';
// Shared by the upload form and the organization pickers below.
// The catalogue's syntax (src/i18n/message-format.ts): {name} and {n, plural, one {# …} other {# …}}.
function fillMessage(template, params, locale) {
  var numbers = new Intl.NumberFormat(locale);
  var plurals = new Intl.PluralRules(locale);
  var withPlurals = template.replace(/\{(\w+),\s*plural,((?:[^{}]|\{[^{}]*\})*)\}/g, function (whole, name, body) {
    if (!(name in params)) return whole;
    var n = Number(params[name]);
    var cases = {};
    body.replace(/(=\d+|[a-z]+)\s*\{([^{}]*)\}/g, function (all, selector, text) { cases[selector] = text; });
    var text = cases['=' + n] || cases[plurals.select(n)] || cases.other || '';
    return text.replace(/#/g, numbers.format(n));
  });
  return withPlurals.replace(/\{(\w+)\}/g, function (whole, name) { return name in params ? params[name] : whole; });
}

(function () {
  // Either field takes the other's files (and .pfx/.p12): the server tells them apart by content,
  // uses swapped files as meant and explains a PKCS#12 bundle (upload.schema.ts).
  var CREDENTIALS = ['.cer', '.crt', '.der', '.pem', '.key', '.pfx', '.p12'];
  var EXTENSIONS = { cer: CREDENTIALS, key: CREDENTIALS };

  function enhance(form) {
    var data = form.dataset;
    var maxBytes = Number(data.maxBytes) || 65536;
    var button = form.querySelector('button[type=submit]');
    var idleLabel = button.textContent;

    // The id of the message next to a field, kept in aria-describedby with the field's hint.
    function setError(field, input, message) {
      var id = input.id + '-client-error';
      var el = document.getElementById(id);
      var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== id; });
      if (!message) {
        if (el) el.remove();
        if (!field.querySelector('.field-error')) { input.removeAttribute('aria-invalid'); field.classList.remove('field-invalid'); }
        input.setAttribute('aria-describedby', described.join(' '));
        return;
      }
      if (!el) {
        el = document.createElement('p');
        el.className = 'field-error client-error';
        el.id = id;
        field.appendChild(el);
      }
      el.textContent = message;
      field.classList.add('field-invalid');
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', described.concat(id).join(' '));
    }

    function fileProblem(input) {
      var name = input.name;
      var file = input.files && input.files[0];
      if (!file) return data[name === 'cer' ? 'msgCerRequired' : 'msgKeyRequired'];
      var lower = file.name.toLowerCase();
      var allowed = EXTENSIONS[name] || [];
      if (!allowed.some(function (ext) { return lower.slice(-ext.length) === ext; })) return data[name === 'cer' ? 'msgCerExtension' : 'msgKeyExtension'];
      if (file.size === 0) return data.msgEmpty;
      if (file.size > maxBytes) return data.msgTooLarge;
      return null;
    }

    function describe(field, input) {
      var info = field.querySelector('.file-info');
      var file = input.files && input.files[0];
      if (info) info.textContent = file ? fillMessage(data.msgFileInfo, { name: file.name, size: file.size }, data.locale || document.documentElement.lang) : '';
      field.classList.toggle('has-file', Boolean(file));
    }

    form.querySelectorAll('[data-drop-zone]').forEach(function (field) {
      var input = field.querySelector('input[type=file]');
      var hint = field.querySelector('.drop-hint');
      if (hint) hint.hidden = false;
      field.classList.add('drop-zone');
      input.addEventListener('change', function () {
        describe(field, input);
        setError(field, input, input.files && input.files[0] ? fileProblem(input) : null);
      });
      field.addEventListener('dragover', function (e) { e.preventDefault(); field.classList.add('drag-over'); });
      field.addEventListener('dragleave', function () { field.classList.remove('drag-over'); });
      field.addEventListener('drop', function (e) {
        e.preventDefault();
        field.classList.remove('drag-over');
        if (e.dataTransfer && e.dataTransfer.files.length > 0) {
          var transfer = new DataTransfer();
          transfer.items.add(e.dataTransfer.files[0]);
          input.files = transfer.files;
          input.dispatchEvent(new Event('change', { bubbles: true }));
        }
      });
    });

    form.addEventListener('submit', function (e) {
      if (form.dataset.sending === 'true') { e.preventDefault(); return; }
      var firstBad = null;
      form.querySelectorAll('[data-drop-zone]').forEach(function (field) {
        var input = field.querySelector('input[type=file]');
        var problem = fileProblem(input);
        setError(field, input, problem);
        if (problem && !firstBad) firstBad = input;
      });
      var password = form.querySelector('input[name=password]');
      var passwordProblem = password.value === '' ? data.msgPasswordRequired : null;
      setError(password.closest('.field'), password, passwordProblem);
      if (passwordProblem && !firstBad) firstBad = password;
      if (firstBad) { e.preventDefault(); firstBad.focus(); return; }
      // One upload per click: the button stays disabled until the next page arrives.
      form.dataset.sending = 'true';
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      button.textContent = button.getAttribute('data-sending-label');
    });

    // A send the person cancels must not leave the button dead: nothing else would bring it back.
    function ready() {
      if (form.dataset.sending !== 'true') return;
      delete form.dataset.sending;
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = idleLabel;
    }
    // Back to this page from the back-forward cache: the page is as it was left, mid-send.
    window.addEventListener('pageshow', function (e) { if (e.persisted) ready(); });
    // Esc stops a page load in browsers, and so does the Stop button; the Navigation API (where
    // there is one) reports that the form's navigation was abandoned.
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') ready(); });
    if (window.navigation && typeof window.navigation.addEventListener === 'function') {
      window.navigation.addEventListener('navigate', function (e) {
        if (form.dataset.sending === 'true' && e.signal) e.signal.addEventListener('abort', ready);
      });
      window.navigation.addEventListener('navigateerror', ready);
    }
  }

  document.querySelectorAll('[data-upload-form]').forEach(enhance);

  // After a refused upload, the messages of the form that was sent (the CSD's or the e.firma's).
  var errors = document.getElementById('upload-errors') || document.getElementById('fiel-errors');
  if (errors) errors.focus();
})();

// Organization pickers (views/partials/org-picker.ejs). Without JavaScript they are a search step
// (GET, matches as radio buttons); here the search box becomes an ARIA combobox: matches appear as
// you type, arrow keys move, Enter chooses, Escape closes, and the chosen id goes in a hidden field.
// Texts come from data-msg-* attributes.
(function () {
  var counter = 0;

  function enhance(picker) {
    var input = picker.querySelector('input[type=search]');
    var button = picker.querySelector('[data-picker-search]');
    var results = picker.querySelector('[data-picker-results]');
    if (!input) return;
    var id = 'org-combobox-' + (++counter);
    var data = picker.dataset;
    var checked = results && results.querySelector('input[type=radio]:checked');
    var hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.name = data.field;
    hidden.value = checked ? checked.value : (data.chosenId || '');
    // The box now only searches: it must not send the search step (name) nor submit the search form.
    input.removeAttribute('name');
    input.removeAttribute('form');
    if (hidden.value && hidden.value === data.chosenId && data.chosenLabel) input.value = data.chosenLabel;
    else if (hidden.value && checked && checked.parentElement) input.value = checked.parentElement.textContent.replace(/\s+/g, ' ').trim();
    if (button) button.hidden = true;
    if (results) results.remove();
    picker.querySelectorAll('p[role=status]').forEach(function (p) { p.remove(); });
    picker.appendChild(hidden);

    var list = document.createElement('ul');
    list.id = id + '-list';
    list.className = 'combobox-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', picker.querySelector('label').textContent);
    list.hidden = true;
    picker.appendChild(list);
    var status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    picker.appendChild(status);

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);

    var options = [];
    var active = -1;
    var timer = null;
    var seq = 0;
    var chosenText = input.value;

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute('aria-selected', i === index ? 'true' : 'false'); });
      var li = list.children[index];
      if (li && options[index]) { input.setAttribute('aria-activedescendant', li.id); li.scrollIntoView({ block: 'nearest' }); }
      else input.removeAttribute('aria-activedescendant');
    }
    function choose(index) {
      var option = options[index];
      if (!option) return;
      hidden.value = option.id;
      input.value = option.name + (option.rfc ? ' · ' + option.rfc : '');
      chosenText = input.value;
      close();
    }
    function render(found, message) {
      options = found;
      list.textContent = '';
      found.forEach(function (option, i) {
        var li = document.createElement('li');
        li.id = id + '-opt-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = option.name + (option.rfc ? ' · ' + option.rfc : '');
        li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (message) {
        var empty = document.createElement('li');
        empty.className = 'combobox-empty';
        empty.setAttribute('role', 'option');
        empty.setAttribute('aria-disabled', 'true');
        empty.id = id + '-empty';
        empty.textContent = message;
        list.appendChild(empty);
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      status.textContent = message || fillMessage(data.msgCount, { count: found.length }, document.documentElement.lang || 'es');
      highlight(-1);
    }
    function search() {
      var q = input.value.trim();
      if (q === '') { close(); return; }
      var mine = ++seq;
      fetch(data.searchUrl + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
        .then(function (body) {
          if (mine !== seq) return;
          render(body.options, body.options.length === 0 ? data.msgNoResults.replace('{q}', q) : null);
        })
        .catch(function () { if (mine === seq) render([], data.msgUnavailable); });
    }

    input.addEventListener('input', function () {
      // Typing changes the choice: until a match is chosen again, no organization is chosen.
      if (input.value !== chosenText) hidden.value = '';
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener('keydown', function (e) {
      var open = !list.hidden && options.length > 0;
      if (e.key === 'ArrowDown') { e.preventDefault(); if (list.hidden) search(); else if (open) highlight(Math.min(active + 1, options.length - 1)); }
      else if (e.key === 'ArrowUp') { if (open) { e.preventDefault(); highlight(Math.max(active - 1, 0)); } }
      else if (e.key === 'Enter') { if (open) { e.preventDefault(); choose(active >= 0 ? active : 0); } }
      else if (e.key === 'Escape') { if (!list.hidden) { e.preventDefault(); close(); } }
    });
    input.addEventListener('blur', function () { setTimeout(close, 0); });
  }

  document.querySelectorAll('[data-org-picker]').forEach(enhance);
})();

// One-time links: a copy button (views/link-issued.ejs), shown only when the script runs.
(function () {
  var button = document.getElementById('copy-link');
  if (!button) return;
  var box = document.getElementById(button.getAttribute('data-copy-target'));
  var status = document.getElementById('copy-status');
  button.hidden = false;
  function say(message) { if (status) status.textContent = message; }
  button.addEventListener('click', function () {
    box.select();
    var copied = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(box.value)
      : new Promise(function (resolve, reject) { (document.execCommand && document.execCommand('copy')) ? resolve() : reject(new Error('copy')); });
    copied.then(function () { say(button.getAttribute('data-msg-copied')); }, function () { say(button.getAttribute('data-msg-failed')); });
  });
})();
