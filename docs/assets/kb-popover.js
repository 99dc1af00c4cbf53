/* Definitions and previews in place, so a reader need not leave the page.

   Glossary terms (a.kb-term): a tap opens the term's definition in a popover under it, with a link
   onward to the glossary; a second tap on the term, the link, Escape, the close button or a tap
   elsewhere closes it. A mouse or the keyboard gets the definition as a tooltip on hover or focus
   (kb-tooltip.js) and follows the link with a click or Enter, as before.

   Claims: pointing at or focusing a link to a claim (related claims, backlinks, the transcript's
   claim chips) previews it (title, status, speaker, summary) in the tooltip of kb-tooltip.js
   (window.kbTooltip), from the claim's published JSON file (claims/<id>.json), fetched once per
   claim and kept, with the status labels and speaker names (assets/kb-labels.json) fetched once.

   Record text is data: every text reaches the page through textContent, never as markup.
   No third-party code. */
(function () {
  "use strict"

  var SCOPE = ".md-content"
  var TERM = "a.kb-term"
  var PREVIEWED = "a.kb-chip, .kb-related-item > a"
  var ONWARD = "script.term_onward" /* keys of the page's strings (overrides/main.html, from the catalogue) */
  var CLOSE = "script.popover_close"
  var GAP = 8
  var MARGIN = 8

  /* The site's root, from Material's configuration, resolved against the first page loaded
     (instant navigation keeps the configuration of that page) */
  var root = (function () {
    var config = document.getElementById("__config")
    var base = "."
    try { base = JSON.parse(config.textContent).base || "." } catch { /* no Material config: the page's folder */ }
    return new URL(base.replace(/\/?$/, "/"), location.href)
  })()

  /* ---- claim previews ---- */

  var cache = {}       /* URL -> Promise of the parsed JSON */
  var current = null   /* the claim link being pointed at or focused */
  var dismissed = null /* the link whose preview Escape closed, until the pointer or focus leaves it */

  function json(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status) }
        return response.json()
      })
      cache[url].catch(function () { delete cache[url] })
    }
    return cache[url]
  }

  /* The id of the claim a link leads to, or null: claims/<id>/ under the site's root */
  function claimId(link) {
    if (!link.href) { return null }
    var url = new URL(link.href, location.href)
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) { return null }
    var match = /^claims\/([^/]+)\/$/.exec(url.pathname.slice(root.pathname.length))
    return match ? decodeURIComponent(match[1]) : null
  }

  function previewLines(claim, labels) {
    var status = labels.statuses[claim.status] || claim.status
    var speaker = labels.speakers[claim.speaker] || claim.speaker
    return [
      { text: claim.title, kind: "title" },
      { text: claim.title_en, kind: "en" },
      { text: status + " · " + speaker, kind: "meta" },
      { text: claim.summary, kind: "text" }
    ]
  }

  function preview(event) {
    var link = event.target instanceof Element && event.target.closest(PREVIEWED)
    if (!link || !link.closest(SCOPE) || !window.kbTooltip) { return }
    var id = claimId(link)
    if (!id || link === dismissed) { return }
    current = link
    Promise.all([json(new URL("claims/" + encodeURIComponent(id) + ".json", root).href),
      json(new URL("assets/kb-labels.json", root).href)]).then(function (loaded) {
      if (current !== link) { return }  /* the reader has moved on */
      window.kbTooltip.show(link, previewLines(loaded[0], loaded[1]), "preview")
    }, function () { /* no preview: the link and its title still work */ })
  }

  function leavePreview(event) {
    var to = event.relatedTarget
    if (dismissed && !(to instanceof Node && dismissed.contains(to))) { dismissed = null }
    if (!current || (to instanceof Node && current.contains(to))) { return }
    if (event.type === "mouseout" && to instanceof Element && to.closest(".kb-tooltip")) { return }
    current = null
  }

  /* ---- glossary popovers ---- */

  var popover = null
  var opened = null  /* the term whose popover is open */
  var tapped = null  /* { term, text } of a touch on a term, taken before the tooltip moves its title */

  function popoverElement() {
    if (!popover) {
      popover = document.createElement("div")
      popover.className = "kb-popover"
      popover.setAttribute("role", "dialog")
      popover.hidden = true
      var text = document.createElement("p")
      text.className = "kb-popover__text"
      var onward = document.createElement("a")
      onward.className = "kb-popover__onward"
      onward.textContent = kbPage.text(ONWARD)
      var close = document.createElement("button")
      close.type = "button"
      close.className = "kb-popover__close"
      close.setAttribute("aria-label", kbPage.text(CLOSE))
      close.textContent = "×"
      close.addEventListener("click", function () { closePopover(true) })
      popover.appendChild(close)
      popover.appendChild(text)
      popover.appendChild(onward)
    }
    if (!popover.isConnected) { document.body.appendChild(popover) }
    return popover
  }

  function place(element, box) {
    var rect = element.getClientRects()[0] || element.getBoundingClientRect()
    var width = box.offsetWidth
    var left = Math.max(MARGIN, Math.min(rect.left, document.documentElement.clientWidth - width - MARGIN))
    box.style.left = (left + window.scrollX) + "px"
    box.style.top = (rect.bottom + GAP + window.scrollY) + "px"
  }

  function openPopover(term, text) {
    if (window.kbTooltip) { window.kbTooltip.hide() }
    var box = popoverElement()
    box.setAttribute("aria-label", term.textContent)
    box.querySelector(".kb-popover__text").textContent = text
    box.querySelector(".kb-popover__onward").setAttribute("href", term.getAttribute("href"))
    box.hidden = false
    term.setAttribute("aria-expanded", "true")
    opened = term
    place(term, box)
  }

  function closePopover(refocus) {
    if (!opened) { return }
    var term = opened
    opened = null
    term.removeAttribute("aria-expanded")
    popover.hidden = true
    if (refocus && popover.contains(document.activeElement)) { term.focus() }
  }

  document.addEventListener("pointerdown", function (event) {
    var term = event.target instanceof Element && event.target.closest(TERM)
    tapped = term && term.closest(SCOPE) && event.pointerType !== "mouse" ?
        { term: term, text: term.getAttribute("title") || "" } :
      null
    if (opened && !(event.target instanceof Node && (popover.contains(event.target) || opened.contains(event.target)))) {
      closePopover(false)
    }
  }, true)

  /* Caught on the way down, before Material's instant navigation (on the body) follows the link */
  document.addEventListener("click", function (event) {
    var term = event.target instanceof Element && event.target.closest(TERM)
    if (!term || !tapped || tapped.term !== term) { return }
    var text = tapped.text
    tapped = null
    if (opened === term || !text) { closePopover(false); return }  /* a second tap goes on to the glossary */
    event.preventDefault()
    event.stopPropagation()
    openPopover(term, text)
  }, true)

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && opened) { closePopover(true) }
  })

  document.addEventListener("mouseover", preview)
  document.addEventListener("focusin", preview)
  document.addEventListener("mouseout", leavePreview)
  document.addEventListener("focusout", leavePreview)
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && current) { dismissed = current; current = null }
  })
  window.addEventListener("resize", function () { closePopover(false) })

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(function () { current = null; closePopover(false) })
  }
})()
