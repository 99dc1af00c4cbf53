/* The transcript's quoted spans (a.kb-quoted, each a link to one quote of one claim).

   At rest a span is only underlined (docs/assets/kb.css). Within a paragraph the underline takes a
   second colour (kb-quoted--alt) each time the claim changes from one span to the next, so that
   two spans of different claims side by side read apart. Pointing at or focusing a span lights
   every span of the same quote (kb-quoted--lit): a quote split by a correction or across
   sentences shows whole. Only classes change: no text is read or written. Set up again after
   Material's instant navigation (document$). No third-party code. */
(function () {
  "use strict"

  var SPAN = "a.kb-quoted"
  var ALT = "kb-quoted--alt"
  var LIT = "kb-quoted--lit"

  /* The claim page a span links to, without its #qN */
  function claimOf(span) {
    return span.href.split("#")[0]
  }

  function alternateClaims() {
    document.querySelectorAll(".kb-para").forEach(function (paragraph) {
      var previous = null
      var alt = false
      paragraph.querySelectorAll(SPAN).forEach(function (span) {
        if (previous && claimOf(previous) !== claimOf(span)) { alt = !alt }
        span.classList.toggle(ALT, alt)
        previous = span
      })
    })
  }

  function light(event) {
    var span = event.target instanceof Element && event.target.closest(SPAN)
    if (!span) { return }
    var href = span.getAttribute("href")
    document.querySelectorAll(SPAN).forEach(function (other) {
      other.classList.toggle(LIT, other.getAttribute("href") === href)
    })
  }

  function unlight(event) {
    var span = event.target instanceof Element && event.target.closest(SPAN)
    var to = event.relatedTarget
    if (!span || (to instanceof Element && to.closest(SPAN) && to.closest(SPAN).getAttribute("href") === span.getAttribute("href"))) {
      return
    }
    document.querySelectorAll("." + LIT).forEach(function (other) { other.classList.remove(LIT) })
  }

  document.addEventListener("mouseover", light)
  document.addEventListener("focusin", light)
  document.addEventListener("mouseout", unlight)
  document.addEventListener("focusout", unlight)

  kbPage.onEachPage(alternateClaims)
})()
