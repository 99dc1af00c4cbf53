/* Links to a passage, on claim pages and transcripts.

   1. A quoted span reached by its own anchor (#<claim>-q<N>, the claim page's "in context" link) is
      lit whole: every run of text of that quote (a.kb-quoted and the misheard names within, listed
      in their data-kb-spans) takes kb-quoted--landed.
   2. Selecting text in the page offers a button that copies a link to exactly that text: the page's
      address with a text fragment (#:~:text=...). Browsers that know text fragments scroll to it
      and mark it themselves; for the others, and where the browser's own matching missed it, this
      script reads the fragment and marks the text (mark.kb-passage), scrolled into view. Chromium hides the fragment from location.hash, so it
      is read from the navigation's own address there.

   Text only: the selection is read as text, the page is searched through its text nodes, and marks
   are made with createElement and splitText. Nothing is ever parsed as HTML. No third-party code. */
(function () {
  "use strict"

  var LANDED = "kb-quoted--landed"
  var MARK = "kb-passage"
  var DIRECTIVE = ":~:text="
  var button = null

  function article() {
    return document.querySelector(".md-content article") || document.querySelector("article")
  }

  /* Claim pages (their quotes) and transcripts (their paragraphs) offer passage links */
  function offersPassages() {
    var body = article()
    return Boolean(body && body.querySelector(".kb-quote, .kb-para"))
  }

  /* 1. Quoted spans reached by their anchor */

  function landOnSpan() {
    document.querySelectorAll("." + LANDED).forEach(function (element) { element.classList.remove(LANDED) })
    var id = decodeURIComponent(location.hash.slice(1))
    if (!id || id.indexOf(":~:") === 0) { return }
    var target = document.getElementById(id)
    if (!target || !target.matches(".kb-span-start")) { return }
    document.querySelectorAll("[data-kb-spans~=\"" + CSS.escape(id) + "\"]").forEach(function (element) {
      element.classList.add(LANDED)
    })
  }

  /* 2. Text fragments: the link made from a selection */

  function collapsed(text) {
    return text.replace(/\s+/g, " ").trim()
  }

  /* A text directive's value: encoded as the text fragments draft asks (its syntax uses - , &) */
  function encodeText(text) {
    return encodeURIComponent(text).replace(/-/g, "%2D").replace(/,/g, "%2C").replace(/&/g, "%26")
  }

  /* The directive for the selected text at `at` in the article's flat text: the text alone when it
     occurs once, else with as much of the text before and after it (prefix-, -suffix) as makes it so */
  function directiveFor(flat, text, at) {
    var once = function (whole, offset) { return flat.indexOf(whole) === offset && flat.indexOf(whole, offset + 1) < 0 }
    if (at < 0 || once(text, at)) { return encodeText(text) }
    for (var size = 4; size <= 64; size *= 2) {
      var prefix = flat.slice(Math.max(0, at - size), at)
      var suffix = flat.slice(at + text.length, at + text.length + size)
      if (once(prefix + text + suffix, at - prefix.length)) {
        return (prefix ? encodeText(prefix) + "-," : "") + encodeText(text) + (suffix ? ",-" + encodeText(suffix) : "")
      }
    }
    return encodeText(text)
  }

  function passageUrl(directive) {
    return location.origin + location.pathname + location.search + "#" + DIRECTIVE + directive
  }

  /* Where a range starts in the article's flat text */
  function flatOffset(flat, range) {
    for (var i = 0; i < flat.places.length; i++) {
      var place = flat.places[i]
      if (place.node === range.startContainer && place.offset >= range.startOffset) { return i }
      if (range.startContainer.nodeType !== Node.TEXT_NODE && range.intersectsNode(place.node)) { return i }
    }
    return -1
  }

  function selectedText() {
    var selection = window.getSelection()
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return null }
    var range = selection.getRangeAt(0)
    var body = article()
    if (!body || !body.contains(range.commonAncestorContainer)) { return null }
    var text = collapsed(selection.toString())
    if (!text) { return null }
    var flat = flatText(body)
    return { text: text, directive: directiveFor(flat.text, text, flatOffset(flat, range)), rect: range.getBoundingClientRect() }
  }

  function hideButton() {
    if (button) { button.hidden = true }
  }

  function copyPassage() {
    var url = passageUrl(button.getAttribute("data-kb-directive"))
    button.setAttribute("data-kb-url", url)
    kbPage.copyText(url).then(function () { say(kbPage.text("script.passage_copied")) },
      function () { say(kbPage.text("script.copy_failed")) })
  }

  function say(text) {
    var status = document.getElementById("kb-passage-status")
    if (status) { status.textContent = text || "" }
  }

  function makeButton() {
    button = document.createElement("button")
    button.type = "button"
    button.className = "md-button kb-passage-link"
    button.textContent = kbPage.text("script.passage_copy") || "#"
    button.hidden = true
    button.addEventListener("mousedown", function (event) { event.preventDefault() }) // keep the selection
    button.addEventListener("click", copyPassage)
    var status = document.createElement("span")
    status.id = "kb-passage-status"
    status.className = "kb-passage-status"
    status.setAttribute("role", "status")
    status.setAttribute("aria-live", "polite")
    document.body.appendChild(button)
    document.body.appendChild(status)
  }

  function offerButton() {
    if (!offersPassages()) { hideButton(); return }
    var selected = selectedText()
    if (!selected) { hideButton(); return }
    if (!button) { makeButton() }
    button.setAttribute("data-kb-directive", selected.directive)
    button.style.top = (window.scrollY + selected.rect.bottom + 8) + "px"
    button.style.left = Math.max(8, window.scrollX + selected.rect.left) + "px"
    button.hidden = false
  }

  /* The text directive of this page's address: from location.hash where the browser leaves it,
     else from the navigation's address (Chromium removes it from location) */
  function textDirective() {
    var found = location.hash.indexOf(DIRECTIVE)
    var source = location.hash
    if (found < 0 && window.performance && performance.getEntriesByType) {
      var navigation = performance.getEntriesByType("navigation")[0]
      source = navigation ? navigation.name : ""
      if (source.split("#")[0] !== location.href.split("#")[0]) { return null } // an instant navigation since
      found = source.indexOf(DIRECTIVE)
    }
    if (found < 0) { return null }
    var parts = source.slice(found + DIRECTIVE.length).split("&")[0].split(",")
    var wanted = { prefix: "", text: "", suffix: "" }
    if (parts.length > 1 && /-$/.test(parts[0])) { wanted.prefix = parts.shift().slice(0, -1) }
    if (parts.length > 1 && /^-/.test(parts[parts.length - 1])) { wanted.suffix = parts.pop().slice(1) }
    if (parts.length !== 1) { return null } // textStart,textEnd: only whole texts are made here
    wanted.text = parts[0]
    try {
      Object.keys(wanted).forEach(function (key) { wanted[key] = decodeURIComponent(wanted[key]).replace(/\s+/g, " ") })
    } catch { return null }
    wanted.text = wanted.text.trim()
    return wanted.text ? wanted : null
  }

  /* The article's text with runs of white space as one space, and for each of its characters the
     text node and offset it comes from */
  function flatText(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    var chars = []
    var places = []
    var space = true
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement && node.parentElement.closest("script, style, .headerlink")) { continue }
      var data = node.data
      for (var i = 0; i < data.length; i++) {
        if (/\s/.test(data[i])) {
          if (space) { continue }
          chars.push(" ")
          space = true
        } else {
          chars.push(data[i])
          space = false
        }
        places.push({ node: node, offset: i })
      }
    }
    return { text: chars.join(""), places: places }
  }

  /* Wrap the text between two places in marks, one per text node, with text nodes only */
  function markBetween(places, start, end) {
    var marks = []
    var i = start
    while (i < end) {
      var node = places[i].node
      var from = places[i].offset
      var j = i
      while (j + 1 < end && places[j + 1].node === node) { j++ }
      var to = places[j].offset + 1
      var middle = node.splitText(from)
      middle.splitText(to - from)
      var mark = document.createElement("mark")
      mark.className = MARK
      middle.parentNode.insertBefore(mark, middle)
      mark.appendChild(middle)
      marks.push(mark)
      i = j + 1
    }
    return marks
  }

  function unmark() {
    document.querySelectorAll("mark." + MARK).forEach(function (mark) {
      var parent = mark.parentNode
      while (mark.firstChild) { parent.insertBefore(mark.firstChild, mark) }
      parent.removeChild(mark)
      parent.normalize()
    })
  }

  /* Where the fragment's text is in the article's flat text, or null */
  function findPassage() {
    var wanted = textDirective()
    var body = article()
    if (!wanted || !body) { return null }
    var flat = flatText(body)
    var whole = flat.text.indexOf(wanted.prefix + wanted.text + wanted.suffix)
    if (whole < 0) { return null }
    var start = whole + wanted.prefix.length
    return { places: flat.places, start: start, end: start + wanted.text.length }
  }

  /* Whether the browser's own text fragment brought the passage into view (Chromium matches
     Japanese only at its word boundaries, and a prefix- or -suffix within a word fails) */
  function inView(found) {
    var range = document.createRange()
    range.setStart(found.places[found.start].node, found.places[found.start].offset)
    range.setEnd(found.places[found.end - 1].node, found.places[found.end - 1].offset + 1)
    var rect = range.getBoundingClientRect()
    return rect.bottom > 0 && rect.top < window.innerHeight
  }

  function markPassage(onlyIfNotShown) {
    unmark()
    var found = findPassage()
    if (!found || (onlyIfNotShown && inView(found))) { return }
    var marks = markBetween(found.places, found.start, found.end)
    if (marks.length) {
      document.documentElement.setAttribute("data-kb-passage", "marked")
      marks[0].scrollIntoView({ block: "center" })
    }
  }

  /* Browsers with text fragments mark the passage themselves, unless a test forces ours */
  function nativeFragments() {
    return "fragmentDirective" in document && !window.kbPassageFallback
  }

  /* Ours marks the passage where the browser has no text fragments, and where its own did not
     find the passage (it then shows nothing: the page stays at its top) */
  function showPassage() {
    if (nativeFragments()) {
      setTimeout(function () { markPassage(true) }, 300)
    } else {
      markPassage(false)
    }
  }

  function setUp() {
    landOnSpan()
    hideButton()
    showPassage()
  }

  window.addEventListener("hashchange", function () {
    landOnSpan()
    showPassage()
  })
  document.addEventListener("mouseup", function () { setTimeout(offerButton, 0) })
  document.addEventListener("keyup", function (event) { if (event.shiftKey || event.key === "Shift") { offerButton() } })
  document.addEventListener("selectionchange", function () {
    if (button && !button.hidden && !selectedText()) { hideButton() }
  })

  kbPage.onEachPage(setUp)
})()
