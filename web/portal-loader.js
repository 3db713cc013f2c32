// Configures the Emscripten module before portal.js runs: the canvas, status text, and a
// visible message if the Wasm runtime fails to start.
// No inline handlers in index.html (the Content-Security-Policy forbids them).
document.getElementById('canvas').addEventListener('contextmenu', function (event) { event.preventDefault(); });

var Module = {
  canvas: document.getElementById('canvas'),
  setStatus: function (text) {
    var status = document.getElementById('status');
    if (!status) return;
    status.textContent = text;
  },
  onRuntimeInitialized: function () {
    var status = document.getElementById('status');
    if (status) status.remove();
    document.getElementById('canvas').focus();
  },
  onAbort: function (what) {
    var status = document.getElementById('status') || document.body.appendChild(document.createElement('div'));
    status.id = 'status';
    status.textContent = 'The portal stopped unexpectedly: ' + what + '. Reload the page to continue.';
  }
};
