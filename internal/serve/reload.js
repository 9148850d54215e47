// Live reload for bulletin serve: injected into pages only by the
// development server, never into built sites. It listens for rebuilds and
// reloads the page, or shows the build's problems over the page; the last
// good site stays underneath.
//
// A browser opens at most six connections to one server, and an event
// stream holds one for as long as its page is open: with a stream for
// each tab, the seventh tab would never load. So one tab, elected with a
// Web Lock, holds the stream and passes its events to the others on a
// BroadcastChannel; when it closes or reloads, the browser frees the lock
// and a waiting tab takes over, catching up on the events it missed.
(function () {
  'use strict';
  var script = document.currentScript;
  var events = script.getAttribute('data-events');
  // The number of the last event this page has seen: the server's latest
  // when it served the page, then each one that reaches it.
  var last = +script.getAttribute('data-last') || 0;
  var name = 'bulletin-live ' + events;
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
    overlay.textContent = '网站构建出错，下面是出错的文件和行号。改正文件并保存后，本页自动刷新。\n\n' + text;
  }

  // handle acts on one event: {id, name, data}.
  function handle(ev) {
    if (ev.id > last) {
      last = ev.id;
    }
    if (ev.name === 'problems') {
      show(ev.data);
      return;
    }
    // A reload event lists the URL paths of the pages that changed, one
    // per line, or * for all of them.
    var here = window.location.pathname.replace(/index\.html$/, '');
    var changed = ev.data.split('\n');
    if (overlay || changed.indexOf('*') >= 0 || changed.indexOf(here) >= 0) {
      window.location.reload();
    }
  }

  var src = null;      // the event stream, in the tab that holds it
  var channel = null;  // to the other tabs
  var release = null;  // gives up the lock
  var abort = null;    // withdraws from waiting for it
  var running = false;

  // connect opens the event stream and gives each event to deliver.
  function connect(deliver) {
    var es = src = new EventSource(events + '?last=' + last);
    ['reload', 'problems'].forEach(function (type) {
      es.addEventListener(type, function (e) {
        deliver({ id: +e.lastEventId || 0, name: type, data: e.data });
      });
    });
    // The browser reconnects by itself after a network error, but not
    // after a refusal (too many pages open at once): try again later.
    es.addEventListener('error', function () {
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(function () {
          if (src === es) {
            connect(deliver);
          }
        }, 10000);
      }
    });
  }

  // catchUp asks the server for what this page missed: a tab that does
  // not hold the stream hears only the events passed on after it began
  // listening, and a rebuild may have been announced between the page
  // being served and this script running (a slow machine, a slow script).
  function catchUp() {
    fetch(events + '?catchup&last=' + last, { cache: 'no-store' }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (c) {
      if (!c) {
        return;
      }
      // What arrived on the channel meanwhile is newer, or the same.
      c.events.forEach(function (ev) {
        if (ev.id > last || ev.data === '*') {
          handle(ev);
        }
      });
      if (c.problems && c.seq >= last) {
        show(c.problems);
      }
    }).catch(function () {});
  }

  function start() {
    if (running) {
      return;
    }
    running = true;
    // Web Locks need a secure context (localhost is one; a LAN address
    // over http is not): there each tab keeps a stream of its own.
    if (!navigator.locks || typeof BroadcastChannel !== 'function') {
      connect(handle);
      return;
    }
    channel = new BroadcastChannel(name);
    channel.onmessage = function (e) { handle(e.data); };
    catchUp();
    abort = new AbortController();
    navigator.locks.request(name, { signal: abort.signal }, function () {
      // Held until this page goes or gives it up.
      return new Promise(function (resolve) {
        release = resolve;
        connect(function (ev) {
          // The other tabs first: this one may be about to reload.
          channel.postMessage(ev);
          handle(ev);
        });
      });
    }).catch(function () {}); // withdrawn: the page left
  }

  // stop gives back the connection, and the lock to a waiting tab, as
  // soon as the reader leaves the page or the browser freezes it.
  function stop() {
    running = false;
    if (src) {
      src.close();
      src = null;
    }
    if (release) {
      release();
      release = null;
    }
    if (abort) {
      abort.abort();
      abort = null;
    }
    if (channel) {
      channel.close();
      channel = null;
    }
  }

  start();
  window.addEventListener('pagehide', stop);
  // Back from the back-forward cache: catch up on what was missed.
  window.addEventListener('pageshow', function (e) {
    if (e.persisted) {
      start();
    }
  });
  document.addEventListener('freeze', stop);
  document.addEventListener('resume', start);
})();
