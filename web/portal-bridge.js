// The page half of the portal's browser integration. The canvas cannot take text, hold a
// URL or be read by a screen reader, so this file lends it DOM that can:
//  - a hidden textarea receives typing, IME composition, emoji and paste (the only way
//    browsers deliver them), and answers copy/cut with the portal's selection;
//  - wheel and touchpad deltas are passed on in pixels (Emscripten's GLFW flips and
//    quantises them);
//  - the hash route is kept in the address bar and Back/Forward are passed to the portal;
//  - an invisible mirror of the current screen (roles, names, values, focus) is rebuilt from
//    each frame's widget list, as Flutter web's semantics tree is.
// Everything reaches the Wasm through exported functions; nothing here knows a screen.
(function () {
  'use strict';

  function call(name, returnType, types, args) {
    if (!window.Module || !Module.calledRun) return null;
    return Module.ccall(name, returnType, types, args);
  }

  // --- text input ------------------------------------------------------------------------
  var text = document.createElement('textarea');
  text.id = 'cp-text-input';
  text.setAttribute('aria-hidden', 'true');
  text.setAttribute('autocomplete', 'off');
  text.setAttribute('autocapitalize', 'off');
  text.setAttribute('spellcheck', 'false');
  text.tabIndex = -1;
  var composing = false;

  function sendText(value) {
    if (value) call('cp_text_input', null, ['string'], [value]);
  }
  text.addEventListener('compositionstart', function () { composing = true; });
  text.addEventListener('compositionend', function (event) {
    composing = false;
    sendText(event.data || text.value);
    text.value = '';
  });
  // Enter and Tab are keys for the portal (submit, next field), never text.
  text.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' || event.key === 'Tab') event.preventDefault();
  });
  text.addEventListener('input', function () {
    if (composing) return;
    sendText(text.value);
    text.value = '';
  });
  // Clipboard: the browser's own events, so no permission prompt is ever needed.
  function onPaste(event) {
    var data = event.clipboardData && event.clipboardData.getData('text/plain');
    event.preventDefault();
    if (data) call('cp_paste', null, ['string'], [data]);
  }
  function onCopy(cut) {
    return function (event) {
      var selected = call('cp_copy_selection', 'string', ['number'], [cut ? 1 : 0]);
      if (!selected) return;
      event.clipboardData.setData('text/plain', selected);
      event.preventDefault();
    };
  }
  // Chromium enables Copy/Cut/Paste on a non-editable focus only when the before* event is
  // cancelled; the canvas (tables) needs them too.
  ['beforecopy', 'beforecut', 'beforepaste'].forEach(function (type) {
    document.addEventListener(type, function (event) { event.preventDefault(); });
  });
  document.addEventListener('paste', onPaste);
  document.addEventListener('copy', onCopy(false));
  document.addEventListener('cut', onCopy(true));

  // --- routes ----------------------------------------------------------------------------
  window.addEventListener('hashchange', function () {
    call('cp_route_changed', null, ['string'], [location.hash]);
  });

  // --- accessibility mirror ----------------------------------------------------------------
  var mirror = document.createElement('div');
  mirror.id = 'cp-a11y';
  mirror.setAttribute('role', 'application');
  mirror.setAttribute('aria-label', 'ConsultantPro');
  var mirrored = '';
  var byId = {};

  function nodeFor(item) {
    var el;
    if (item.role === 'textbox') {
      el = document.createElement('input');
      el.type = item.password ? 'password' : 'text';
      el.addEventListener('input', function () {
        call('cp_a11y_set_text', null, ['string', 'string'], [item.id, el.value]);
      });
    } else if (item.role === 'button' || item.role === 'link') {
      el = document.createElement('button');
      el.type = 'button';
      el.addEventListener('click', function () { call('cp_a11y_activate', null, ['string'], [item.id]); });
    } else if (item.role === 'row') {
      el = document.createElement('div');
      el.tabIndex = -1;
      el.addEventListener('click', function () { call('cp_a11y_activate', null, ['string'], [item.id]); });
    } else {
      el = document.createElement('div');
    }
    if (item.role !== 'textbox' && !(item.role === 'button' || item.role === 'link')) {
      if (item.role !== 'text' && item.role !== 'group') el.setAttribute('role', item.role);
    }
    if (item.role === 'link') el.setAttribute('role', 'link');
    el.dataset.cpId = item.id;
    return el;
  }

  // The text a node shows (what find-in-page and screen readers read) and its label.
  function setText(el, value) {
    var node = el.firstChild;
    if (node && node.nodeType === 3) {
      if (node.nodeValue !== value) node.nodeValue = value;
    } else {
      el.insertBefore(document.createTextNode(value), el.firstChild);
    }
  }

  function render(items) {
    var parents = { '': mirror };
    var placed = {};
    var keep = {};
    items.forEach(function (item) {
      var el = byId[item.id];
      if (!el || el.dataset.cpRole !== item.role) {
        if (el) el.remove();
        el = nodeFor(item);
        el.dataset.cpRole = item.role;
        byId[item.id] = el;
      }
      keep[item.id] = true;
      var parentId = item.parent || '';
      var parent = parents[parentId] || mirror;
      // Into document order, moving only what is out of place: moving a node drops its
      // focus, which a screen reader (or a half-finished fill) would lose.
      var prev = placed[parentId];
      var want = prev ? prev.nextSibling : parent.firstChild;
      while (want && want.nodeType === 3) want = want.nextSibling;
      if (want !== el) parent.insertBefore(el, want);
      placed[parentId] = el;
      parents[item.id] = el;
      if (item.role === 'textbox') {
        el.setAttribute('aria-label', item.name);
        if (document.activeElement !== el && el.value !== (item.value || '')) el.value = item.value || '';
        if (item.invalid) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
      } else if (item.role === 'row' || item.role === 'table') {
        el.setAttribute('aria-label', item.name);
      } else if (item.role === 'combobox') {
        el.setAttribute('aria-label', item.name);
        setText(el, item.value || '');
      } else {
        setText(el, item.name);
        if (item.role === 'alert' && item.value) el.title = 'Details for support: ' + item.value;
      }
      if (item.disabled) el.setAttribute('aria-disabled', 'true'); else el.removeAttribute('aria-disabled');
      // The canvas's focus, for assistive tools that follow it (the DOM focus stays put).
      if (item.focused) el.setAttribute('aria-current', 'true'); else el.removeAttribute('aria-current');
      if (item.role === 'heading') el.setAttribute('aria-level', '2');
    });
    Object.keys(byId).forEach(function (id) {
      if (!keep[id]) { byId[id].remove(); delete byId[id]; }
    });
  }

  // Keys pressed in the mirror belong to the mirror (a screen reader's Enter on a button is
  // its click): the canvas must not also act on them. Registered before Emscripten's GLFW
  // listens on window, so this runs first.
  ['keydown', 'keypress', 'keyup'].forEach(function (type) {
    window.addEventListener(type, function (event) {
      if (!mirror.contains(event.target)) return;
      var id = event.target.dataset && event.target.dataset.cpId;
      var role = event.target.dataset && event.target.dataset.cpRole;
      if (type === 'keydown' && event.key === 'Enter' && id && (role === 'textbox' || role === 'row')) {
        call('cp_a11y_activate', null, ['string'], [id]);
      }
      event.stopImmediatePropagation();
    }, true);
  });

  window.cpBridge = {
    // Called by the portal each frame with whether a text field is being edited, so typing
    // and IME go to the textarea (and on phones the keyboard opens).
    setTextFocus: function (on) {
      var active = document.activeElement;
      if (active && active !== text && mirror.contains(active)) return;  // screen-reader user
      if (on && active !== text) text.focus({ preventScroll: true });
      if (!on && active === text) document.getElementById('canvas').focus({ preventScroll: true });
    },
    // The portal's route changed: keep the address bar in step (push, or replace when the
    // change is not a navigation the user would want to step back through).
    setRoute: function (hash, replace) {
      if (location.hash === hash) return;
      if (replace) history.replaceState(null, '', hash); else history.pushState(null, '', hash);
    },
    syncMirror: function (json) {
      if (json === mirrored) return;
      mirrored = json;
      render(JSON.parse(json));
    },
  };

  document.addEventListener('DOMContentLoaded', function () {
    document.body.appendChild(text);
    document.body.appendChild(mirror);
    var canvas = document.getElementById('canvas');
    canvas.addEventListener('wheel', function (event) {
      event.preventDefault();
      var unit = event.deltaMode === 1 ? 40 : event.deltaMode === 2 ? window.innerHeight : 1;
      call('cp_wheel', null, ['number', 'number'], [event.deltaX * unit, event.deltaY * unit]);
    }, { passive: false });
  });
})();
