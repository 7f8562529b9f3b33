"""Measuring a page as a phone user meets it: touch targets, what covers a notice, and what the map is left with.

The rule for targets (issue 14, after WCAG 2.5.8 at the 44 px of 2.5.5): every interactive element has a box of at
least 44×44 CSS px, or a 44 px circle on its centre overlaps no other target's box. Links inside running text are
exempt. A checkbox or radio is measured by its label, which is what a finger presses. Every <details> on the page
is opened first, so that what hides behind a summary is measured too."""

MIN_TARGET = 44

# Returns {checked: how many targets were measured, small: [{what, width, height}] for every one that breaks the rule}.
SMALL_TARGETS = """(min) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], ' +
    '[tabindex]:not([tabindex="-1"]), .leaflet-marker-icon.leaflet-interactive';
  const shown = el => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[aria-hidden=true], [inert]')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && r.left < document.documentElement.clientWidth + 1;
  };
  const block = el => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith('inline')) node = node.parentElement;
    return node;
  };
  // A link in running text: its block holds more text than the link, and the link is not on its own line.
  const inText = el => {
    if (el.tagName !== 'A') return false;
    const container = block(el);
    if (!container || ['TD', 'TH', 'LI', 'NAV'].includes(container.tagName)) return false;
    if (getComputedStyle(el).display !== 'inline') return false;
    const own = el.textContent.trim().length;
    return container.textContent.trim().length > own + 2;
  };
  const boxOf = el => {
    if (el.tagName === 'INPUT' && ['checkbox', 'radio'].includes(el.type)) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) return label.getBoundingClientRect();
    }
    const label = el.closest('label');
    if (el.tagName === 'INPUT' && el.type === 'file' && label) return label.getBoundingClientRect();
    return el.getBoundingClientRect();
  };
  const targets = [...document.querySelectorAll(selector)].filter(shown).filter(el => !inText(el));
  const boxes = targets.map(boxOf);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.getAttribute('aria-label') || el.title || el.textContent || el.value || '').trim().slice(0, 30) + '"';
  const touches = (circle, box) => {
    const x = Math.max(box.left, Math.min(circle.x, box.right)), y = Math.max(box.top, Math.min(circle.y, box.bottom));
    return (x - circle.x) ** 2 + (y - circle.y) ** 2 < (min / 2) ** 2 - 0.5;
  };
  const contains = (outer, inner) => outer.left <= inner.left && outer.right >= inner.right &&
    outer.top <= inner.top && outer.bottom >= inner.bottom;
  const bad = [];
  targets.forEach((el, i) => {
    const box = boxes[i];
    if (box.width >= min - 0.5 && box.height >= min - 0.5) return;
    const circle = { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    const crowded = boxes.some((other, j) => j !== i && !contains(other, box) && !contains(box, other) &&
      !targets[j].contains(el) && !el.contains(targets[j]) && touches(circle, other));
    if (crowded) bad.push({ what: name(el), width: Math.round(box.width), height: Math.round(box.height) });
  });
  return { checked: targets.length, small: bad };
}"""

# Every notice's centre: is the notice what a finger there touches (not a panel or the map above it)?
COVERED_NOTICES = """() => [...document.querySelectorAll('.notice, .noscript, [role=status]:not(:empty), [role=alert]')]
  .filter(el => el.getBoundingClientRect().height > 0 && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => {
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (y < 0 || y > innerHeight) return false;  // below the fold: scrolled to, it is not covered
    const hit = document.elementFromPoint(x, y);
    return !(hit && (hit === el || el.contains(hit)));
  }).map(el => el.className + ': ' + el.textContent.trim().slice(0, 40))"""

# The share of the viewport the map shows: its box inside the viewport, less what the map panel and the header cover.
MAP_SHARE = """() => {
  const area = r => Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0)) *
    Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
  const map = document.getElementById('map').getBoundingClientRect();
  const panel = document.getElementById('map-panel').getBoundingClientRect();
  const overlap = {
    left: Math.max(map.left, panel.left), right: Math.min(map.right, panel.right),
    top: Math.max(map.top, panel.top), bottom: Math.min(map.bottom, panel.bottom)
  };
  const covered = overlap.right > overlap.left && overlap.bottom > overlap.top ? area(overlap) : 0;
  return (area(map) - covered) / (innerWidth * innerHeight);
}"""

# Cumulative layout shift of the page so far (shifts right after input do not count, as in the metric).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    list.getEntries().forEach(entry => { if (!entry.hadRecentInput) total += entry.value; });
  }).observe({ type: 'layout-shift', buffered: true });
  setTimeout(() => resolve(total), 300);
})"""
