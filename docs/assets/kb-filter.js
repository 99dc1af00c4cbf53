/* The claims list filtered in place by status, speaker, kind and topic (claims/index.md, written by
   scripts/kb/site/templates/claims.md.j2). The choice is kept in the address (?status=disputed&...),
   so a filtered list can be linked. Without JavaScript the form stays hidden and every claim is
   listed. Set up again after Material's instant navigation (document$). No third-party code. */
(function () {
  "use strict"

  var FIELDS = ["status", "speaker", "kind", "topic"]

  function matches(item, group, wanted) {
    return (!wanted.status || item.getAttribute("data-kb-status") === wanted.status) &&
      (!wanted.speaker || item.getAttribute("data-kb-speaker") === wanted.speaker) &&
      (!wanted.kind || item.getAttribute("data-kb-kind") === wanted.kind) &&
      (!wanted.topic || group.getAttribute("data-kb-topic") === wanted.topic)
  }

  function chosen(form) {
    var wanted = {}
    FIELDS.forEach(function (name) {
      wanted[name] = form.elements[name] ? form.elements[name].value : ""
    })
    return wanted
  }

  function address(wanted) {
    var params = new URLSearchParams(location.search)
    FIELDS.forEach(function (name) {
      if (wanted[name]) { params.set(name, wanted[name]) } else { params.delete(name) }
    })
    var query = params.toString()
    return location.pathname + (query ? "?" + query : "") + location.hash
  }

  function apply(form, remember) {
    var wanted = chosen(form)
    var shown = {}
    var count = 0
    document.querySelectorAll("[data-kb-filter-group]").forEach(function (group) {
      var visible = 0
      group.querySelectorAll("li.kb-claim-item").forEach(function (item) {
        var keep = matches(item, group, wanted)
        item.hidden = !keep
        if (keep) {
          visible += 1
          var id = item.getAttribute("data-kb-claim")
          if (!shown[id]) { shown[id] = true; count += 1 }
        }
      })
      group.hidden = visible === 0
    })
    var output = form.querySelector(".kb-filter-count")
    if (output) {
      var total = form.getAttribute("data-kb-total")
      /* the words are the page's (data-kb-shown, data-kb-none: claims.md.j2, from the string catalogue) */
      var words = form.getAttribute(count ? "data-kb-shown" : "data-kb-none") || ""
      output.textContent = words.replace("{count}", String(count)).replace("{total}", total)
    }
    if (remember) {
      history.replaceState(history.state, "", address(wanted))
    }
  }

  function restore(form) {
    var params = new URLSearchParams(location.search)
    FIELDS.forEach(function (name) {
      var select = form.elements[name]
      var value = params.get(name)
      if (!select || value === null) { return }
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === value })
      select.value = known ? value : ""
    })
  }

  function setUp() {
    var form = document.querySelector("form[data-kb-filter]")
    if (!form || form.getAttribute("data-kb-ready")) { return }
    form.setAttribute("data-kb-ready", "true")
    form.hidden = false
    restore(form)
    apply(form, false)
    form.addEventListener("change", function () { apply(form, true) })
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(form, true) })
    form.addEventListener("reset", function () {
      setTimeout(function () { apply(form, true) }, 0)  // after the browser has reset the fields
    })
  }

  kbPage.onEachPage(setUp)
})()
