/* Keyboard review for the queue (no build step, no libraries).
 * Proposal page: a confirm, x reject, e edit, j/k next/previous, u undo, Esc close.
 * Queue page: j/k move the selection, Enter opens it, u undo.
 * Keys are ignored while typing in a field, and a form is never sent twice. */
(function () {
  'use strict';
  var sending = false;

  function typing(el) {
    if (!el) return false;
    var t = el.tagName;
    return t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT' || el.isContentEditable;
  }

  function show(id, focusSelector) {
    var panel = document.getElementById(id);
    if (!panel) return false;
    panel.hidden = false;
    var field = panel.querySelector(focusSelector || 'input:not([type=hidden]), select, textarea');
    if (field) {
      field.focus();
      if (field.select) field.select();
    }
    return true;
  }

  function hideAll() {
    document.querySelectorAll('.panel[data-toggle]').forEach(function (p) { p.hidden = true; });
  }

  function send(id) {
    var form = document.getElementById(id);
    if (!form || sending) return false;
    sending = true;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
    return true;
  }

  function go(attr) {
    var url = document.body.getAttribute(attr);
    if (!url) return false;
    window.location.href = url;
    return true;
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-href]'));
  var selected = -1;

  function select(i) {
    if (!rows.length) return;
    selected = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle('selected', j === selected); });
    rows[selected].scrollIntoView({ block: 'nearest' });
  }

  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === 'Escape') {
      hideAll();
      if (document.activeElement) document.activeElement.blur();
      return;
    }
    if (typing(ev.target)) return;
    var page = document.body.getAttribute('data-page');
    var k = ev.key;
    var done = false;
    if (page === 'proposal') {
      if (k === 'a') done = send('form-confirm');
      else if (k === 'x') done = show('panel-reject', 'input[name=reason]');
      else if (k === 'e') done = show('panel-edit');
      else if (k === 'j') done = go('data-next');
      else if (k === 'k') done = go('data-prev');
      else if (k === 'u') done = send('form-undo');
    } else if (page === 'queue') {
      if (k === 'j') { select(selected + 1); done = true; }
      else if (k === 'k') { select(selected - 1); done = true; }
      else if (k === 'Enter' && selected >= 0) { window.location.href = rows[selected].getAttribute('data-href'); done = true; }
      else if (k === 'u') done = send('form-undo');
    } else if (k === 'u' && document.getElementById('form-undo')) {
      done = send('form-undo');
    }
    if (done) ev.preventDefault();
  });

  document.querySelectorAll('form').forEach(function (f) {
    f.addEventListener('submit', function (ev) {
      var question = f.getAttribute('data-confirm');
      if (question && !window.confirm(question)) { ev.preventDefault(); return; }
      f.querySelectorAll('button[type=submit]').forEach(function (b) { b.disabled = true; });
    });
  });

  document.querySelectorAll('[data-show]').forEach(function (b) {
    b.addEventListener('click', function () { show(b.getAttribute('data-show')); });
  });

  document.querySelectorAll('[data-preset]').forEach(function (b) {
    b.addEventListener('click', function () {
      var input = document.querySelector(b.getAttribute('data-target'));
      if (input) { input.value = b.getAttribute('data-preset'); input.focus(); }
    });
  });

  rows.forEach(function (r) {
    r.addEventListener('click', function (ev) {
      if (ev.target.closest('a, button, form')) return;
      window.location.href = r.getAttribute('data-href');
    });
  });
})();
