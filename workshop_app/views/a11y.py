"""Accessibility repairs for what Panel's and Bokeh's widgets leave out (names, roles, page language).

The widgets render inside shadow roots that Python cannot reach, so a small script walks
them and fills in what a screen reader needs: a name on every slider handle and spinner
button, no `aria-selected` on MultiChoice chips (not allowed there), `inert` on hidden tab
panels (so focus cannot land in them), `lang` on the page, and the banner and main landmarks
(the header and the tabs, marked by their CSS classes). Bokeh re-renders widgets, so it runs
again as soon as the page's elements change (a MutationObserver on the page and on every
shadow root), once more when a burst of changes is over, and on a slow interval as a safety net: an idle page does no work (a walk every
250 ms took half of an idle page's CPU, and 11 pages share 2 cores in bench/editor.py).
Checked by axe-core in tests/ui/test_workshop_axe.py.
"""

from __future__ import annotations

import param
from panel.custom import JSComponent

__all__ = ["A11yRepairs", "BUTTON_CSS"]

#: Bootstrap's amber (#f0ad4e), green (#5cb85c) and red (#d9534f) under white text are 1.9:1, 2.5:1 and
#: 3.9:1; these darker shades are 5.0:1, 5.1:1 and 6.6:1 (WCAG AA needs 4.5:1). Pass as a button's `stylesheets`.
BUTTON_CSS = (":host .bk-btn-warning { background-color: #a85d00; border-color: #a85d00; color: #fff; }\n"
              ":host .bk-btn-success { background-color: #2e7d32; border-color: #2e7d32; color: #fff; }\n"
              ":host .bk-btn-danger { background-color: #b71c1c; border-color: #b71c1c; color: #fff; }")


class A11yRepairs(JSComponent):
    """An invisible component whose script repairs the page's accessibility every `period_ms`."""

    lang = param.String(default="sv", doc="Page language, set on <html lang>.")
    names = param.Dict(default={}, doc="Accessible names: 'up' and 'down' for spinner buttons, 'remove' for chips.")
    period_ms = param.Integer(default=3000, bounds=(50, None), doc="The safety net's interval.")

    _esm = """
const TRAILING_MS = [300, 1200]  // after the last change of a burst

function syncInert(el) {
  // a hidden tab panel: nothing in it may take focus (Bokeh hides it with aria-hidden only)
  if (el.getAttribute('aria-hidden') === 'true') {
    if (!el.inert) { el.inert = true; el.dataset.mbkInert = '1' }
  } else if (el.dataset.mbkInert) {
    el.inert = false; delete el.dataset.mbkInert
  }
}

// What one rendered component watches: the page and every shadow root it has walked. Its own, not the
// module's: the header (and this component with it) is rebuilt on a language switch, and the old one's
// removal must not stop the new one's observer.
function watcher(onAdded) {
  const watched = new WeakSet()
  const observer = new MutationObserver((records) => {
    let added = false
    for (const r of records) {
      if (r.type === 'attributes') syncInert(r.target)  // at once, so a tab is usable the moment it shows
      else if (r.addedNodes.length) added = true
    }
    if (added) onAdded()
  })
  const walk = (root, visit) => {
    if (!watched.has(root)) {
      watched.add(root)
      observer.observe(root, { attributes: true, attributeFilter: ['aria-hidden'], childList: true, subtree: true })
    }
    for (const el of root.querySelectorAll('*')) {
      visit(el)
      if (el.shadowRoot) walk(el.shadowRoot, visit)
    }
  }
  return { walk, stop: () => observer.disconnect() }
}

function sliderName(handle) {
  // the slider's title ("Veckobesökare: 1470") lives in the same shadow root as its handles
  const title = handle.getRootNode().querySelector('.bk-slider-title')
  if (!title) return null
  const value = title.querySelector('.bk-slider-value')
  const text = title.textContent.replace(value ? value.textContent : '', '')
  return text.replace(/[:\\s]+$/, '').trim() || null
}

function widgetLabel(el) {
  const label = el.getRootNode().querySelector('label')
  return label ? label.textContent.trim() : null
}

function repair(model, walk) {
  // write only what differs: setting even the same `lang` or tabIndex restyles the page
  if (document.documentElement.lang !== model.lang) document.documentElement.lang = model.lang
  const names = model.names || {}
  walk(document, (el) => {
    syncInert(el)
    const cls = el.classList
    if (cls.contains('mbk-header') && !el.hasAttribute('role')) el.setAttribute('role', 'banner')
    if (cls.contains('mbk-main') && !el.hasAttribute('role')) el.setAttribute('role', 'main')
    if (cls.contains('noUi-handle') && !el.hasAttribute('aria-label')) {
      const name = sliderName(el)
      if (name) el.setAttribute('aria-label', name)
    } else if (cls.contains('bk-spin-btn')) {
      const name = cls.contains('bk-spin-btn-up') ? names.up : names.down
      if (name && el.getAttribute('aria-label') !== name) el.setAttribute('aria-label', name)
      if (el.tabIndex !== -1) el.tabIndex = -1  // the arrow keys in the field do the same
    } else if (cls.contains('choices__item') && el.hasAttribute('aria-selected') && !el.closest('[role=listbox]')) {
      el.removeAttribute('aria-selected')
    } else if (cls.contains('choices__button') && names.remove) {
      // a MultiChoice chip's remove button says "Remove item: 'x'" in English whatever the page's language
      const item = el.parentElement ? el.parentElement.dataset.value || '' : ''
      const name = item ? `${names.remove}: ${item}` : names.remove
      if (el.getAttribute('aria-label') !== name) el.setAttribute('aria-label', name)
      if (el.textContent !== names.remove) el.textContent = names.remove
    } else if (cls.contains('choices__input--cloned')) {
      const name = widgetLabel(el)
      if (name && el.getAttribute('aria-label') !== name) el.setAttribute('aria-label', name)
      if (el.getAttribute('role') === 'textbox') el.removeAttribute('role')
    } else if (el.tagName === 'INPUT' && el.type === 'checkbox' && !el.labels?.length && !el.hasAttribute('aria-label')) {
      const label = el.nextElementSibling  // Bokeh puts the text beside the box, not around it
      const text = label && label.classList.contains('bk-label') ? label.textContent.trim() : null
      if (text) el.setAttribute('aria-label', text)
    }
  })
}

export function render({ model, el }) {
  el.style.display = 'none'
  let trailing = []
  const seen = watcher(() => { repairNow(); schedule() })  // at once (a walk is about a millisecond), and again
  const repairNow = () => {
    window.mbkA11yRuns = (window.mbkA11yRuns || 0) + 1
    try { repair(model, seen.walk) } catch (e) { console.warn('mbk a11y', e) }
  }
  const schedule = () => {
    // once the burst is over: Bokeh fills some shadow roots after their element is in the page
    trailing.forEach(clearTimeout)
    trailing = TRAILING_MS.map((ms) => setTimeout(repairNow, ms))
  }
  repairNow()
  const timer = setInterval(repairNow, model.period_ms)
  model.on('lang', repairNow)
  model.on('remove', () => { clearInterval(timer); trailing.forEach(clearTimeout); seen.stop() })
}
"""
