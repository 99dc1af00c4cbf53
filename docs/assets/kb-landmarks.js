/* Accessible names for Material's search, which its template leaves unnamed: the dialog
   (role=dialog needs a name) and the search landmark inside it (two search landmarks on one page,
   as on the 404 page, must read apart). Material's search works only with JavaScript, so naming
   it here reaches every reader who can open it. Set up again after instant navigation. */
(function () {
  "use strict"

  var NAMES = [
    ["[data-md-component=search][role=dialog]", "サイト内検索"],
    [".md-search__inner[role=search]", "サイト全体を検索"]
  ]

  function name() {
    NAMES.forEach(function (entry) {
      document.querySelectorAll(entry[0]).forEach(function (element) {
        if (!element.hasAttribute("aria-label")) { element.setAttribute("aria-label", entry[1]) }
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
