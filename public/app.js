// Progressive enhancement for the upload form. The server stays the authority: everything here
// only helps before sending, and the form works the same with JavaScript turned off.
'use strict';
(function () {
  var MAX_BYTES = 64 * 1024;
  var messages = {
    es: { missing: 'Elige el archivo.', ext: 'Extensión no válida para este campo.', size: 'El archivo no parece un CSD (tamaño).', bytes: 'bytes' },
    en: { missing: 'Choose the file.', ext: 'Wrong file extension for this field.', size: 'The file does not look like a CSD (size).', bytes: 'bytes' },
  };
  var lang = document.documentElement.lang === 'en' ? 'en' : 'es';
  var text = messages[lang];

  function extensionsOf(input) {
    return (input.getAttribute('accept') || '').split(',').map(function (s) { return s.trim().toLowerCase(); }).filter(Boolean);
  }

  function describe(field, input) {
    var info = field.querySelector('.file-info');
    if (!info) {
      info = document.createElement('p');
      info.className = 'file-info';
      info.setAttribute('aria-live', 'polite');
      field.appendChild(info);
    }
    var file = input.files && input.files[0];
    info.textContent = file ? file.name + ' (' + file.size.toLocaleString(lang) + ' ' + text.bytes + ')' : '';
  }

  function problemOf(input) {
    var file = input.files && input.files[0];
    if (!file) return text.missing;
    var name = file.name.toLowerCase();
    if (!extensionsOf(input).some(function (ext) { return name.endsWith(ext); })) return text.ext;
    if (file.size === 0 || file.size > MAX_BYTES) return text.size;
    return null;
  }

  function setError(field, input, message) {
    var el = field.querySelector('.client-error');
    if (!message) {
      if (el) el.remove();
      input.removeAttribute('aria-invalid');
      return;
    }
    if (!el) {
      el = document.createElement('p');
      el.className = 'field-error client-error';
      el.id = input.id + '-client-error';
      field.appendChild(el);
    }
    el.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', el.id);
  }

  document.querySelectorAll('[data-upload-form]').forEach(function (form) {
    form.querySelectorAll('[data-drop-zone]').forEach(function (field) {
      var input = field.querySelector('input[type=file]');
      input.addEventListener('change', function () { describe(field, input); setError(field, input, null); });
      field.addEventListener('dragover', function (e) { e.preventDefault(); field.classList.add('drag-over'); });
      field.addEventListener('dragleave', function () { field.classList.remove('drag-over'); });
      field.addEventListener('drop', function (e) {
        e.preventDefault();
        field.classList.remove('drag-over');
        if (e.dataTransfer && e.dataTransfer.files.length > 0) {
          var transfer = new DataTransfer();
          transfer.items.add(e.dataTransfer.files[0]);
          input.files = transfer.files;
          input.dispatchEvent(new Event('change'));
        }
      });
    });

    form.addEventListener('submit', function (e) {
      var firstBad = null;
      form.querySelectorAll('[data-drop-zone]').forEach(function (field) {
        var input = field.querySelector('input[type=file]');
        var problem = problemOf(input);
        setError(field, input, problem);
        if (problem && !firstBad) firstBad = input;
      });
      if (firstBad) { e.preventDefault(); firstBad.focus(); return; }
      var button = form.querySelector('button[type=submit]');
      if (form.dataset.sending === 'true') { e.preventDefault(); return; }
      form.dataset.sending = 'true';
      button.disabled = true;
      button.textContent = button.getAttribute('data-sending-label');
    });
  });

  var errors = document.getElementById('upload-errors');
  if (errors) errors.focus();
})();
