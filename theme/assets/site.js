// site.js: small progressive enhancements. Every page works without it.
//
//  - the font-size control (字号): sets html.fs-small / fs-large / fs-xlarge
//    and remembers the choice in localStorage;
//  - the print button (打印本页);
//  - wide tables in a bulletin get a scrolling, keyboard-focusable wrapper
//    (without script, CSS lets the table itself scroll).
//
// Controls that need script carry class="needs-js" and the hidden attribute,
// which is removed here. No inline script is used anywhere, so a strict
// Content-Security-Policy (script-src 'self') works.
(function () {
  'use strict';

  var KEY = 'bulletin.fontSize';
  var SIZES = ['small', 'large', 'xlarge'];
  var root = document.documentElement;

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function stored() {
    try {
      var v = window.localStorage.getItem(KEY);
      return SIZES.indexOf(v) >= 0 ? v : '';
    } catch (e) {
      return ''; // storage disabled: the default size
    }
  }

  function apply(size) {
    SIZES.forEach(function (s) {
      if (s === size) {
        root.classList.add('fs-' + s);
      } else {
        root.classList.remove('fs-' + s);
      }
    });
    each('[data-font-size]', function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-font-size') === size ? 'true' : 'false');
    });
  }

  function choose(size) {
    apply(size);
    try {
      if (size) {
        window.localStorage.setItem(KEY, size);
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      // Not remembered, but still applied to this page.
    }
  }

  apply(stored());

  each('[data-font-size]', function (b) {
    b.addEventListener('click', function () {
      choose(b.getAttribute('data-font-size'));
    });
  });

  // Another tab changed the size: follow it.
  window.addEventListener('storage', function (e) {
    if (e.key === KEY) {
      apply(stored());
    }
  });

  each('[data-print]', function (b) {
    b.addEventListener('click', function () {
      window.print();
    });
  });

  each('.prose table', function (table) {
    var box = document.createElement('div');
    box.className = 'table-scroll';
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', '表格（可左右滚动）');
    box.tabIndex = 0;
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });

  each('.needs-js', function (el) {
    el.hidden = false;
  });
})();
