/* Copy-link and copy-citation buttons of claim pages, and the search box of the 404 page.
   Any element with data-kb-copy copies that text; the confirmation is data-kb-done. Buttons come
   from the page (scripts/kb/site/claimpage.py) or are added here to each quote, with the words the
   page gives (data-kb-quote-copy, data-kb-quote-copied, data-kb-failed on .kb-cite, from the string
   catalogue); everything is set up again after Material's instant navigation (document$). No
   third-party code. */
(function () {
  "use strict"

  function citeWords(name) {
    var cite = document.querySelector(".kb-cite[data-kb-url]")
    return (cite && cite.getAttribute(name)) || ""
  }

  function announce(button, message) {
    var box = button.closest(".kb-cite, .kb-quote")
    var status = box && box.querySelector(".kb-cite-status")
    if (status) {
      status.textContent = message
    }
    var dialog = document.querySelector("[data-md-component=dialog]")
    var inner = dialog && dialog.querySelector(".md-dialog__inner")
    if (inner) {
      inner.textContent = message
      dialog.classList.add("md-dialog--active")
      clearTimeout(announce.timer)
      announce.timer = setTimeout(function () {
        dialog.classList.remove("md-dialog--active")
      }, 2000)
    }
  }

  function addQuoteButtons() {
    var cite = document.querySelector(".kb-cite[data-kb-url]")
    if (!cite) { return }
    document.querySelectorAll(".kb-quote[id]:not(.kb-quote--removed)").forEach(function (quote) {
      if (quote.querySelector(".kb-copy")) { return }
      var button = document.createElement("button")
      button.type = "button"
      button.className = "md-button kb-copy kb-copy-quote"
      button.textContent = citeWords("data-kb-quote-copy")
      button.setAttribute("data-kb-copy", cite.getAttribute("data-kb-url") + "#" + quote.id)
      button.setAttribute("data-kb-done", citeWords("data-kb-quote-copied"))
      var status = document.createElement("span")
      status.className = "kb-cite-status"
      status.setAttribute("role", "status")
      status.setAttribute("aria-live", "polite")
      quote.appendChild(button)
      quote.appendChild(status)
    })
  }

  function prefill404Search() {
    var input = document.querySelector(".kb-404 input[name=q]")
    if (!input || input.value) { return }
    var path = location.pathname
    try { path = decodeURIComponent(path) } catch { /* a malformed address: keep it encoded */ }
    var last = path.split("/").filter(Boolean).pop() || ""
    if (last === "404.html") { return }
    input.value = last.replace(/\.html$/, "").replace(/[-_]+/g, " ").trim()
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-kb-copy]")
    if (!button) { return }
    event.preventDefault()
    kbPage.copyText(button.getAttribute("data-kb-copy")).then(function () {
      announce(button, button.getAttribute("data-kb-done") || "")
    }, function () {
      announce(button, citeWords("data-kb-failed"))
    })
  })

  function setUp() {
    addQuoteButtons()
    prefill404Search()
  }

  kbPage.onEachPage(setUp)
})()
