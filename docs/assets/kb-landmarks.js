/* Accessible names for Material's search, which its template leaves unnamed: the dialog
   (role=dialog needs a name) and the search landmark inside it (two search landmarks on one page,
   as on the 404 page, must read apart). Material's search works only with JavaScript, so naming
   it here reaches every reader who can open it. Set up again after instant navigation. */
(function () {
  "use strict"

  var NAMES = [
    ["[data-md-component=search][role=dialog]", "script.search_dialog"],
    [".md-search__inner[role=search]", "script.search_area"]
  ]

  /* The words come from the page (overrides/main.html writes them from the string catalogue) */
  function text(key) {
    var block = document.getElementById("kb-strings")
    try {
      return (block && JSON.parse(block.textContent)[key]) || ""
    } catch {
      return ""
    }
  }

  function name() {
    NAMES.forEach(function (entry) {
      var label = text(entry[1])
      document.querySelectorAll(entry[0]).forEach(function (element) {
        if (label && !element.hasAttribute("aria-label")) { element.setAttribute("aria-label", label) }
      })
    })
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(name)
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", name)
  } else {
    name()
  }
})()
