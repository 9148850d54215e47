// Live reload for bulletin serve: injected into pages only by the
// development server, never into built sites. It listens for rebuilds and
// reloads the page, or shows the build's problems over the page; the last
// good site stays underneath.
(function () {
  'use strict';
  var overlay = null;

  function show(text) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'bulletin-build-error';
      overlay.setAttribute('role', 'alert');
      overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;' +
        'background:rgba(20,20,20,.92);color:#fff;font:15px/1.6 monospace;padding:2em;white-space:pre-wrap';
      document.body.appendChild(overlay);
    }
    // textContent: the message quotes bulletin text, never markup.
    overlay.textContent = '构建失败（修改文件后自动恢复） Build failed — fix the file and this page reloads:\n\n' + text;
  }

  var events = document.currentScript.getAttribute('data-events');
  var src = null;

  function connect() {
    var es = src = new EventSource(events);
    // A reload event lists the URL paths of the pages that changed, one
    // per line, or * for all of them.
    es.addEventListener('reload', function (e) {
      var here = window.location.pathname.replace(/index\.html$/, '');
      var changed = e.data.split('\n');
      if (overlay || changed.indexOf('*') >= 0 || changed.indexOf(here) >= 0) {
        window.location.reload();
      }
    });
    es.addEventListener('problems', function (e) { show(e.data); });
    // The browser reconnects by itself after a network error, but not
    // after a refusal (too many pages open at once): try again later.
    es.addEventListener('error', function () {
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(connect, 10000);
      }
    });
  }
  connect();
  // Browsers allow few connections to one server: give this one back as
  // soon as the reader leaves the page.
  window.addEventListener('pagehide', function () { src.close(); });
})();
