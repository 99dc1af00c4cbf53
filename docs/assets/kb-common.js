/* What the site's page scripts share, as window.kbPage. Loaded before them (first in mkdocs.yml's
   extra_javascript), so each can use it as it starts.

   - text(key): a word of the page's interface, from the JSON block #kb-strings that
     overrides/main.html writes from the string catalogue; "" for a word the page lacks. Read from
     the page at each call, so it is the words of the page shown. A word is data: callers put it
     into the page with textContent or as an attribute's value, never as markup.
   - copyText(text): a Promise, kept once the text is on the clipboard: the Clipboard API in a
     secure context, else a hidden text area and the copy command; broken when the browser refuses.
   - onEachPage(setUp): setUp once the page is ready, and again after each of Material's instant
     navigations (document$), which replace the page's content without loading a page.

   No third-party code. */
(function () {
  "use strict"

  function text(key) {
    var block = document.getElementById("kb-strings")
    try {
      var words = block ? JSON.parse(block.textContent) : {}
      return typeof words[key] === "string" ? words[key] : ""
    } catch {
      return ""
    }
  }

  function copyText(value) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(value)
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea")
      area.value = value
      area.setAttribute("readonly", "")
      area.style.position = "fixed"
      area.style.opacity = "0"
      document.body.appendChild(area)
      area.select()
      var copied = document.execCommand("copy")
      area.remove()
      if (copied) { resolve() } else { reject(new Error("copy refused")) }
    })
  }

  function onEachPage(setUp) {
    if (typeof window.document$ !== "undefined") {
      window.document$.subscribe(setUp)
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", setUp)
    } else {
      setUp()
    }
  }

  window.kbPage = Object.freeze({ text: text, copyText: copyText, onEachPage: onEachPage })
})()
