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

  function name() {
    NAMES.forEach(function (entry) {
      var label = kbPage.text(entry[1])
      document.querySelectorAll(entry[0]).forEach(function (element) {
        if (label && !element.hasAttribute("aria-label")) { element.setAttribute("aria-label", label) }
      })
    })
  }

  kbPage.onEachPage(name)
})()
