/*
  print.js sets the closing block (版记: 报、送、发 and 印数) of a briefing
  or notice at the foot of its last page, where GB/T 9704-2012 puts it,
  rather than right after the last item. bulletin adds it only to the
  copy it prints to PDF; the pages on the site never run it.

  Browsers say nothing of where a page ends, so the script lays the
  document out as columns of the print text block's size — the same
  fragmentation the printer uses, breaks before headings and inside tables
  included — reads how far the closing block ends above the foot of its
  column, and adds that much space above it.
*/
(function () {
  var doc = document.querySelector(".digest");
  var closing = doc && doc.querySelector(".closing");
  if (!closing) return;
  // The text block's size, from print.css's custom properties.
  var probe = document.createElement("div");
  probe.style.cssText = "position:absolute;visibility:hidden;width:var(--text-width);height:var(--text-height)";
  document.body.appendChild(probe);
  // Half a pixel wider than the probe measures: the screen rounds a
  // length down to 1/64 px where the printer does not, and print.css fits
  // 28 characters to the line with a fraction of a point to spare, so a
  // full line must not wrap here when it does not on paper.
  var width = probe.getBoundingClientRect().width + 0.5, height = probe.getBoundingClientRect().height;
  probe.remove();
  if (!(width > 0 && height > 0)) return;
  // Measure with the print rules in force, as the page prints.
  var printRules = [];
  Array.prototype.forEach.call(document.styleSheets, function (sheet) {
    Array.prototype.forEach.call(sheet.cssRules, function (rule) {
      if (rule.media && rule.media.mediaText === "print") {
        rule.media.mediaText = "all";
        printRules.push(rule);
      }
    });
  });
  // Columns do not break at a page break (-page-break item or group):
  // make each one a column break while measuring.
  var pageBreaks = [];
  Array.prototype.forEach.call(doc.querySelectorAll("*"), function (el) {
    var cs = getComputedStyle(el);
    if (cs.breakBefore === "page" || cs.breakAfter === "page") {
      pageBreaks.push([el, el.style.breakBefore, el.style.breakAfter]);
      if (cs.breakBefore === "page") el.style.breakBefore = "column";
      if (cs.breakAfter === "page") el.style.breakAfter = "column";
    }
  });
  var saved = doc.getAttribute("style") || "";
  doc.style.cssText = saved + ";box-sizing:content-box;margin:0;padding:0;box-shadow:none" +
    ";width:" + width + "px;height:" + height + "px" +
    ";column-width:" + width + "px;column-gap:0;column-fill:auto";
  var top = doc.getBoundingClientRect().top;
  var free = height - (closing.getBoundingClientRect().bottom - top);
  doc.setAttribute("style", saved);
  printRules.forEach(function (rule) { rule.media.mediaText = "print"; });
  pageBreaks.forEach(function (b) { b[0].style.breakBefore = b[1]; b[0].style.breakAfter = b[2]; });
  // A pixel short of the foot, so that rounding never pushes the block
  // onto a page of its own.
  if (free > 2) {
    closing.style.marginTop = (parseFloat(getComputedStyle(closing).marginTop) + free - 2) + "px";
  }
})();
