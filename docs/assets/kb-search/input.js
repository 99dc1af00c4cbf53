/*
 * Material's search reads the query on keyup. Text committed by a Japanese input method on a
 * phone keyboard, pasted from the menu or dictated can arrive with no keyup at all, so the box
 * would keep showing "type to search". Relay such input events as a keyup; Material ignores a
 * value it has already seen, so ordinary typing is not searched twice.
 *
 * The search worker (worker.js) also says how it read a query on the BroadcastChannel
 * "kb-search": a word it corrected, or, for a query that found nothing, queries that would find
 * something. They are shown under Material's result count, as text (never markup); a suggestion
 * is a button that searches it.
 */
(function () {
  "use strict"

  var text = kbPage.text /* the words shown: the page's, from the string catalogue */

  function searchBox() {
    return document.querySelector(".md-search__input")
  }

  document.addEventListener("input", function (event) {
    var box = event.target
    if (!(box instanceof HTMLInputElement) || !box.matches(".md-search__input") || event.isComposing) return
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  })

  function search(query) {
    var box = searchBox()
    if (!box) return
    box.value = query
    box.focus()
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  }

  /* The hint element under the result count, made once */
  function hintElement() {
    var meta = document.querySelector(".md-search-result__meta")
    if (!meta) return null
    var hint = document.querySelector(".kb-search-hint")
    if (!hint) {
      hint = document.createElement("div")
      hint.className = "kb-search-hint"
      hint.setAttribute("aria-live", "polite")
      meta.insertAdjacentElement("afterend", hint)
    }
    return hint
  }

  function show(note) {
    var box = searchBox()
    var hint = hintElement()
    if (!box || !hint || box.value !== note.query) return
    hint.replaceChildren()
    if (note.corrected.length) {
      hint.append(text("script.search_corrected") + note.corrected.map(function (pair) { return pair[1] }).join(text("text.list_separator")))
    } else if (note.suggestions.length) {
      hint.append(text("script.search_suggest"))
      note.suggestions.forEach(function (query) {
        var button = document.createElement("button")
        button.type = "button"
        button.className = "kb-search-hint__suggestion"
        button.textContent = query
        button.addEventListener("click", function () { search(query) })
        hint.append(button)
      })
    } else if (note.empty) {
      hint.append(text("script.search_tips"))
    }
    hint.hidden = !hint.childNodes.length
  }

  if (typeof BroadcastChannel === "function") {
    new BroadcastChannel("kb-search").addEventListener("message", function (event) {
      var note = event.data
      if (note && typeof note.query === "string" && Array.isArray(note.corrected) && Array.isArray(note.suggestions)) show(note)
    })
  }
})()
