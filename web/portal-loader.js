// Configures the Emscripten module before portal.js runs: the canvas, content-hashed file
// names, a progress bar until the first frame is drawn, and a visible message if the Wasm
// runtime fails to start.
// No inline handlers in index.html (the Content-Security-Policy forbids them).
document.getElementById('canvas').addEventListener('contextmenu', function (event) { event.preventDefault(); });

(function () {
  // Deep links by path (/invoices) become the hash routes the portal uses (#/invoices).
  // A signed invoice link (/i/<token>) keeps its path: the portal reads the token from it.
  if (location.pathname !== '/' && !location.hash && location.pathname.indexOf('/i/') !== 0) {
    history.replaceState(null, '', '/#' + location.pathname + location.search);
  }
})();

var Module = {
  canvas: document.getElementById('canvas'),
  locateFile: function (path) { return (window.cpAssets && window.cpAssets[path]) || path; },
  setStatus: function (text) {
    var status = document.getElementById('status-text');
    if (status && text) status.textContent = text;
  },
  onRuntimeInitialized: function () {
    var progress = document.getElementById('progress');
    if (progress) progress.value = 2;
    Module.setStatus('Preparing the portal…');
    // The status stays until the portal has drawn (fonts arrive in parallel), never a blank page.
    (function waitForFrame() {
      if ((window.cpFrame || 0) > 0) {
        var status = document.getElementById('status');
        if (status) status.remove();
        if (!window.cpFirstFrameAt) window.cpFirstFrameAt = performance.now();
        return;
      }
      requestAnimationFrame(waitForFrame);
    })();
  },
  onAbort: function (what) {
    var status = document.getElementById('status') || document.body.appendChild(document.createElement('div'));
    status.id = 'status';
    status.textContent = 'The portal stopped unexpectedly: ' + what + '. Reload the page to continue.';
  }
};
document.querySelector('script[src*="portal."][async]') && document.querySelector('script[src*="portal."][async]')
  .addEventListener('load', function () {
    var progress = document.getElementById('progress');
    if (progress && progress.value < 1) progress.value = 1;
  });
