// Progressive enhancement for the upload form. The server stays the authority: everything here
// only helps before sending, and the form works the same with JavaScript turned off. The script
// holds no text: every message comes from the catalogue through the form's data-msg-* attributes.
'use strict';
(function () {
  // Either field takes the other's files (and .pfx/.p12): the server tells them apart by content,
  // uses swapped files as meant and explains a PKCS#12 bundle (upload.schema.ts).
  var CREDENTIALS = ['.cer', '.crt', '.der', '.pem', '.key', '.pfx', '.p12'];
  var EXTENSIONS = { cer: CREDENTIALS, key: CREDENTIALS };

  function fill(template, params) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return name in params ? params[name] : whole; });
  }

  function enhance(form) {
    var data = form.dataset;
    var maxBytes = Number(data.maxBytes) || 65536;
    var numbers = new Intl.NumberFormat(data.locale || document.documentElement.lang);
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
      if (info) info.textContent = file ? fill(data.msgFileInfo, { name: file.name, size: numbers.format(file.size) }) : '';
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

  var errors = document.getElementById('upload-errors');
  if (errors) errors.focus();
})();
