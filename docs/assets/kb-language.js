// The language switch (overrides/partials/alternate.html) keeps the reader's place: the #anchor of
// the address (a quote #q2, a paragraph #p12, a glossary term) goes along to the same page in the
// other edition. The other edition is loaded as a whole page, not by Material's instant navigation,
// which would keep this page's <html lang> and interface words.
(function () {
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a.kb-language-link") : null
    if (!link) {
      return
    }
    var url = new URL(link.getAttribute("href"), location.href)
    url.hash = location.hash
    link.setAttribute("href", url.href)
    event.stopPropagation()
  }, true)
})()
