/* Tooltips for elements with a title inside the page content (glossary terms, chips, quoted spans).

   Material's `content.tooltips` is off on purpose: its bundle puts an element's title into the
   tooltip with innerHTML, so a title holding record text such as `<img src=x onerror=...>`
   would be parsed a second time and run. Here the text reaches the page only through
   textContent, so it is shown exactly as written and can never become markup.

   Pointing at or focusing an element shows its title; moving away, blurring or Escape hides it.
   While shown, the title is taken off the element (or the browser would draw its own tooltip
   too) and the element is described by the tooltip (aria-describedby). Without JavaScript the
   browser's own title tooltip remains. window.kbTooltip.show(element, text) and .hide() are the
   reusable part: kb-popover.js shows claim previews with them, passing lines instead of a text
   ([{ text, kind }], each drawn as a line of class kb-tooltip__line--<kind>) and a variant (the
   tooltip's class kb-tooltip--<variant>). No third-party code. */
(function () {
  "use strict"

  var SCOPE = ".md-content"
  var ID = "kb-tooltip"
  var GAP = 8          /* px between the element and its tooltip */
  var MARGIN = 8       /* px kept free at the edges of the window */
  var HIDE_DELAY = 150 /* ms, so the pointer can move onto the tooltip (WCAG 1.4.13) */

  var tip = null
  var shown = null     /* { element, title, describedBy } while a tooltip is shown */
  var dismissed = null /* element whose tooltip Escape closed, until the pointer or focus leaves it */
  var timer = 0

  function tooltipElement() {
    if (!tip) {
      tip = document.createElement("div")
      tip.id = ID
      tip.className = "kb-tooltip"
      tip.setAttribute("role", "tooltip")
      tip.hidden = true
      tip.addEventListener("mouseenter", function () { clearTimeout(timer) })
      tip.addEventListener("mouseleave", hideSoon)
    }
    if (!tip.isConnected) { document.body.appendChild(tip) }
    return tip
  }

  function place(element) {
    var box = element.getClientRects()[0] || element.getBoundingClientRect()
    var width = tip.offsetWidth
    var height = tip.offsetHeight
    var left = box.left + box.width / 2 - width / 2
    left = Math.max(MARGIN, Math.min(left, document.documentElement.clientWidth - width - MARGIN))
    var top = box.bottom + GAP
    if (top + height > window.innerHeight - MARGIN && box.top - GAP - height >= MARGIN) {
      top = box.top - GAP - height
    }
    tip.style.left = (left + window.scrollX) + "px"
    tip.style.top = (top + window.scrollY) + "px"
  }

  /* `content` into the tooltip as text, never markup: a string, or lines [{ text, kind }] */
  function fill(node, content) {
    node.textContent = ""
    if (typeof content === "string") {
      node.textContent = content
      return
    }
    content.forEach(function (part) {
      var line = document.createElement("span")
      line.className = "kb-tooltip__line kb-tooltip__line--" + part.kind
      line.textContent = part.text
      node.appendChild(line)
    })
  }

  /* Show `content` (a text or lines, as text, never markup) next to `element`, in the tooltip's
     `variant` if given; the element's own title, if any, is set aside until hide(). */
  function show(element, content, variant) {
    clearTimeout(timer)
    if (!shown || shown.element !== element) {
      hide()
      shown = { element: element, title: element.getAttribute("title"), describedBy: element.getAttribute("aria-describedby") }
      element.removeAttribute("title")
      element.setAttribute("aria-describedby", ID)
    }
    var node = tooltipElement()
    node.className = "kb-tooltip" + (variant ? " kb-tooltip--" + variant : "")
    fill(node, content)
    node.hidden = false
    place(element)
  }

  function hide() {
    clearTimeout(timer)
    if (!shown) { return }
    var element = shown.element
    if (shown.title !== null) { element.setAttribute("title", shown.title) }
    if (shown.describedBy !== null) { element.setAttribute("aria-describedby", shown.describedBy) } else { element.removeAttribute("aria-describedby") }
    shown = null
    tip.hidden = true
    tip.textContent = ""
  }

  function hideSoon() {
    clearTimeout(timer)
    timer = setTimeout(hide, HIDE_DELAY)
  }

  /* The element under `target` whose tooltip to show: the one shown (its title is set aside),
     else the nearest with a title inside the page content */
  function titled(target) {
    if (!(target instanceof Element)) { return null }
    if (shown && shown.element.contains(target)) { return shown.element }
    var element = target.closest("[title]")
    return element && element.getAttribute("title") && element.closest(SCOPE) ? element : null
  }

  function enter(event) {
    var element = titled(event.target)
    if (!element || element === dismissed) { return }
    if (shown && shown.element === element) { clearTimeout(timer) } else { show(element, element.getAttribute("title")) }
  }

  function leave(event) {
    if (!shown) { return }
    var to = event.relatedTarget
    if (to instanceof Node && (shown.element.contains(to) || tip.contains(to))) { return }
    hideSoon()
  }

  document.addEventListener("mouseover", enter)
  document.addEventListener("focusin", enter)
  document.addEventListener("mouseout", function (event) {
    if (dismissed && !(event.relatedTarget instanceof Node && dismissed.contains(event.relatedTarget))) { dismissed = null }
    leave(event)
  })
  document.addEventListener("focusout", function (event) {
    dismissed = null
    var staying = event.relatedTarget instanceof Node && shown && shown.element.contains(event.relatedTarget)
    if (shown && shown.element.contains(event.target) && !staying) { hide() }
  })
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown) {
      dismissed = shown.element
      hide()
    }
  })
  window.addEventListener("resize", hide)

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(hide)  /* Material's instant navigation replaced the page */
  }

  window.kbTooltip = { show: show, hide: hide }
})()
