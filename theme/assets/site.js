// site.js: small progressive enhancements. Every page works without it.
//
//  - the font-size control (字号): sets html.fs-small / fs-large / fs-xlarge
//    and remembers the choice in localStorage;
//  - the 关怀版 switch (elderly-friendly mode): sets html.care and remembers
//    it in localStorage; a page opened with ?care=1 (or ?care=0) or with
//    #care_mode turns it on (off) and remembers that too (the parameter
//    then leaves the address). Without script
//    the styles follow html:target, so #care_mode works for that page;
//  - the read-aloud button (朗读全文) of a bulletin, shown only where the
//    browser has speech synthesis: it reads the title and the body aloud
//    in Chinese, and its label turns to data-stop (停止朗读) meanwhile;
//  - the print button (打印本页);
//  - wide tables in a bulletin get a scrolling, keyboard-focusable wrapper
//    (without script, CSS lets the table itself scroll);
//  - search boxes whose form names a data-suggest address offer
//    completions while the reader types, as an ARIA combobox: up and
//    down choose, Enter searches the chosen one, Escape closes the list.
//    Without script (or when the address does not answer) there is no
//    list and the box is a plain search box.
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

  // 关怀版.
  var CARE_KEY = 'bulletin.care';

  function careStored() {
    try {
      return window.localStorage.getItem(CARE_KEY) === '1';
    } catch (e) {
      return false;
    }
  }

  function applyCare(on) {
    if (on) {
      root.classList.add('care');
    } else {
      root.classList.remove('care');
    }
    each('[data-care]', function (b) {
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
  }

  function chooseCare(on) {
    // Off while the address says #care_mode: html:target would keep the
    // mode, so leave the fragment (location.replace adds no history).
    if (!on && window.location.hash === '#care_mode') {
      window.location.replace('#');
      if (window.history.replaceState) {
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
      }
    }
    applyCare(on);
    try {
      if (on) {
        window.localStorage.setItem(CARE_KEY, '1');
      } else {
        window.localStorage.removeItem(CARE_KEY);
      }
    } catch (e) {
      // Not remembered, but still applied to this page.
    }
  }

  var asked = /[?&]care=([01])(&|$)/.exec(window.location.search);
  if (asked) {
    chooseCare(asked[1] === '1');
    // Done with: a reload must not undo a later press of the switch.
    if (window.history.replaceState) {
      var rest = window.location.search.replace(/([?&])care=[01](&|$)/, function (m, before, after) {
        return after ? before : '';
      });
      window.history.replaceState(null, '', window.location.pathname + rest + window.location.hash);
    }
  } else if (window.location.hash === '#care_mode') {
    chooseCare(true);
  } else {
    applyCare(careStored());
  }

  each('[data-care]', function (b) {
    b.addEventListener('click', function () {
      chooseCare(!root.classList.contains('care'));
    });
  });

  window.addEventListener('storage', function (e) {
    if (e.key === CARE_KEY) {
      applyCare(careStored());
    }
  });

  // 朗读全文: the title and the body, in pieces of a sentence or a few,
  // because some browsers stop a long utterance after about 15 seconds.
  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;

  function pieces(text) {
    var out = [];
    var cur = '';
    text.split(/([。！？；!?;\n]+)/).forEach(function (part) {
      cur += part;
      if (/[。！？；!?;\n]$/.test(cur) && cur.length >= 60) {
        out.push(cur);
        cur = '';
      }
    });
    if (cur.replace(/\s+/g, '')) {
      out.push(cur);
    }
    return out;
  }

  function chineseVoice() {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var zh = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || '').replace('_', '-');
      if (lang === 'zh-CN') {
        return voices[i];
      }
      if (!zh && /^zh\b/i.test(lang)) {
        zh = voices[i];
      }
    }
    return zh;
  }

  if (synth && typeof Utterance === 'function') {
    each('[data-read-aloud]', function (b) {
      var start = b.textContent;
      var stop = b.getAttribute('data-stop') || start;
      var run = 0; // the reading under way; an older one's events are ignored

      function done(n) {
        if (n === run) {
          run++;
          b.textContent = start;
        }
      }

      b.addEventListener('click', function () {
        if (b.textContent === stop) {
          synth.cancel();
          done(run);
          return;
        }
        var title = document.getElementById('bulletin_title');
        var body = document.querySelector('article.prose');
        var text = (title ? title.textContent + '。\n' : '') + (body ? body.innerText : '');
        var parts = pieces(text);
        if (!parts.length) {
          return;
        }
        synth.cancel();
        var n = ++run;
        var voice = chineseVoice();
        b.textContent = stop;
        parts.forEach(function (p, i) {
          var u = new Utterance(p);
          u.lang = 'zh-CN';
          if (voice) {
            u.voice = voice;
          }
          u.rate = 0.9; // a little slower than the voice's own pace
          u.onerror = function () {
            done(n);
          };
          if (i === parts.length - 1) {
            u.onend = function () {
              done(n);
            };
          }
          synth.speak(u);
        });
      });
      b.hidden = false;
    });
    // Leaving the page stops the reading.
    window.addEventListener('pagehide', function () {
      synth.cancel();
    });
  }

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

  // Completions: one list per search box, filled from data-suggest with
  // the last word typed; a later answer replaces an earlier one, and an
  // answer for what is no longer typed is dropped.
  var KINDS = { tag: '标签', bureau: '来源单位', place: '地区', category: '栏目', title: '标题' };
  var boxes = 0;
  each('form[data-suggest]', function (form) {
    var input = form.querySelector('input[name="q"]');
    var api = form.getAttribute('data-suggest');
    if (!input || !api || typeof window.fetch !== 'function') {
      return;
    }
    var n = ++boxes;
    var list = document.createElement('ul');
    list.id = 'suggest_' + n;
    list.className = 'suggest-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', '搜索建议');
    list.hidden = true;
    var status = document.createElement('span');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    form.classList.add('has-suggest');
    input.parentNode.insertBefore(list, input.nextSibling);
    form.appendChild(status);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);

    var active = -1;   // the option chosen with the arrow keys
    var options = [];  // the whole queries the list offers
    var timer = 0;
    var pending = null;
    var asked = '';    // the text the list was asked for

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }

    function choose(i) {
      var items = list.children;
      if (active >= 0 && items[active]) {
        items[active].setAttribute('aria-selected', 'false');
      }
      active = i;
      if (i >= 0 && items[i]) {
        items[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', items[i].id);
        items[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function pick(i) {
      input.value = options[i];
      close();
      if (typeof form.requestSubmit === 'function') {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }

    function show(text, suggestions) {
      // The words before the last stay; the last is completed.
      var head = text.replace(/\S*$/, '');
      list.textContent = '';
      options = [];
      active = -1;
      suggestions.forEach(function (sg, i) {
        var li = document.createElement('li');
        li.id = list.id + '_' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = sg.text;
        if (KINDS[sg.kind]) {
          var kind = document.createElement('span');
          kind.className = 'suggest-kind';
          kind.textContent = KINDS[sg.kind];
          li.appendChild(kind);
        }
        // mousedown, not click: the box keeps the focus.
        li.addEventListener('mousedown', function (e) {
          e.preventDefault();
          pick(i);
        });
        list.appendChild(li);
        options.push(head + sg.text);
      });
      if (!options.length) {
        close();
        status.textContent = '';
        return;
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      input.removeAttribute('aria-activedescendant');
      status.textContent = options.length + '条搜索建议，按上下方向键选择';
    }

    function ask() {
      var text = input.value;
      var last = text.replace(/^.*\s/, '');
      if (!last || text === asked) {
        if (!last) {
          close();
          asked = '';
        }
        return;
      }
      asked = text;
      if (pending) {
        pending.abort();
      }
      var ctl = typeof AbortController === 'function' ? new AbortController() : null;
      pending = ctl;
      window.fetch(api + (api.indexOf('?') >= 0 ? '&' : '?') + 'q=' + encodeURIComponent(last),
        { signal: ctl ? ctl.signal : undefined, headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (input.value === text && document.activeElement === input) {
            show(text, (data && data.suggestions) || []);
          }
        })
        .catch(function () {});
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener('keydown', function (e) {
      var open = !list.hidden;
      if (e.key === 'ArrowDown' || e.key === 'Down') {
        if (!open && options.length) {
          list.hidden = false;
          input.setAttribute('aria-expanded', 'true');
        }
        if (options.length) {
          choose(active + 1 < options.length ? active + 1 : 0);
          e.preventDefault();
        }
      } else if (e.key === 'ArrowUp' || e.key === 'Up') {
        if (open && options.length) {
          choose(active > 0 ? active - 1 : options.length - 1);
          e.preventDefault();
        }
      } else if (e.key === 'Enter') {
        if (open && active >= 0) {
          e.preventDefault();
          pick(active);
        }
      } else if (e.key === 'Escape' || e.key === 'Esc') {
        if (open) {
          e.preventDefault();
          close();
        }
      }
    });
    input.addEventListener('blur', close);
  });

  each('.needs-js', function (el) {
    el.hidden = false;
  });
})();
