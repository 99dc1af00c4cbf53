/*
 * Search worker for Material for MkDocs, answering Material's search messages
 * (SETUP 0 -> READY 1, QUERY 2 -> RESULT 3) from the sharded index that
 * scripts/kb/search/search_index.py writes to search/kb/. Material's own search box,
 * keyboard shortcuts and result list stay as they are; only this worker differs.
 *
 * A query is normalized and cut into tokens exactly as the index was (text.js);
 * the worker fetches the shards holding those tokens and, for the results shown,
 * the chunks holding their titles and excerpts. Nothing else is downloaded.
 */
"use strict"

importScripts("text.js")

var T = self.KBSearchText
var INDEX = new URL("../../search/kb/", self.location)
var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
var MAX_RESULTS = 20         /* result items returned (Material renders 10, then more on scroll) */
var MAX_DOCUMENTS = 24       /* documents whose title and excerpt a query fetches, sections included */
var FIRST_DOCUMENTS = 8      /* documents of the first answer; the other results follow in a second one */
var MAX_GROUP_SECTIONS = 4   /* glossary entries or paragraphs shown under one page */
var MAX_BIGRAMS_PER_RUN = 8  /* a longer Japanese run is looked up by every other bigram */
var PREFIX_FACTOR = 0.7      /* a word matched only as a prefix counts less */
var KEEP_COVERAGE = 0.6      /* keep documents matching at least this share of the best coverage */
var WORD_MATCH = 0.75        /* a document matches a word holding this share of its tokens; it must match one */
var EXACT_FACTOR = 3         /* a title or name equal to the whole query */
var SHOWN_SECTIONS = 0.5     /* sections of a grouped result shown open: at least this share of its best */
var MAX_SHOWN_SECTIONS = 3
var EXCERPT_BEFORE = 30
var EXCERPT_LENGTH = 160

var manifest = null
var shards = new Map()
var chunks = new Map()
var latest = 0

self.addEventListener("message", function (event) {
  var message = event.data
  if (message.type === SETUP) {
    loadManifest().then(
      function () { self.postMessage({ type: READY }) },
      function (error) { console.error("kb-search: cannot load the index:", error); self.postMessage({ type: READY }) }
    )
  } else if (message.type === QUERY) {
    var id = ++latest
    var current = function () { return id === latest }
    var answer = function (result) { if (current()) self.postMessage({ type: RESULT, data: result }) }
    search(message.data, answer, current).catch(function (error) {
      console.error("kb-search:", error)
      answer({ items: [], total: 0 })
    })
  }
})

function loadManifest() {
  if (!manifest) {
    manifest = fetch(new URL("manifest.json", INDEX), { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error("manifest.json: HTTP " + response.status)
      return response.json()
    }).catch(function (error) {
      manifest = null
      throw error
    })
  }
  return manifest
}

function fetchCached(cache, path, version, read) {
  if (!cache.has(path)) {
    cache.set(path, fetch(new URL(path + "?v=" + version, INDEX)).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status)
      return read(response)
    }).catch(function (error) {
      cache.delete(path)  /* try again with the next query */
      throw error
    }))
  }
  return cache.get(path)
}

/* ---------------------------------------------------------------- query */

/* The query as words (space-separated), each a list of units: a token to look up, or a word prefix */
function parseQuery(value) {
  var text = value.normalize("NFKC")
  var trailingSpace = /\s$/.test(text)
  var raw = text.split(/\s+/).filter(Boolean)
  var words = []
  var runNumber = 0
  raw.forEach(function (original, position) {
    var units = []
    var last = position === raw.length - 1 && !trailingSpace
    var normalized = T.normalize(original)
    var found = T.runs(normalized)
    found.forEach(function (item, runIndex, all) {
      var run = item[0]
      var tag = { run: runNumber++, text: run, japanese: item[1] }
      if (!item[1]) {
        var prefix = last && runIndex === all.length - 1 && run.length >= T.PREFIX_LENGTH
        units.push({ token: run, prefix: prefix, run: tag })
      } else if (run.length === 1) {
        units.push({ token: run, optional: !T.isKanji(run), run: tag })
      } else {
        bigramsOf(run).forEach(function (token) { units.push({ token: token, run: tag }) })
      }
    })
    var required = units.filter(function (unit) { return !unit.optional })
    units = required.length ? required : units
    if (units.length) words.push({ original: original, units: units, whole: spanOfRuns(normalized, found) })
  })
  return words
}

/* A word of several runs (fine-tuning, 2.0, LLM判定) from its first run to its last, to be
   highlighted as one where it occurs whole; null for a word of one run */
function spanOfRuns(normalized, found) {
  if (found.length < 2) return null
  var last = found[found.length - 1]
  return normalized.slice(found[0][2], last[2] + last[0].length)
}

function allBigrams(run) {
  var all = []
  for (var i = 0; i + 1 < run.length; i++) all.push(run.slice(i, i + 2))
  return all
}

/* The bigrams a Japanese run is looked up by: all of them, or every other one and the last */
function bigramsOf(run) {
  var all = allBigrams(run)
  if (all.length <= MAX_BIGRAMS_PER_RUN) return all
  var some = all.filter(function (_, i) { return i % 2 === 0 })
  if (some[some.length - 1] !== all[all.length - 1]) some.push(all[all.length - 1])
  return some
}

/* ---------------------------------------------------------------- shards */

/* A shard (layout: scripts/kb/search/search_index.py, shard_bytes): token -> packed postings (id << 8 | weight) */
function readShard(buffer) {
  var view = new DataView(buffer)
  var count = view.getUint32(0, true)
  var namesLength = view.getUint32(4, true)
  var names = count ? new TextDecoder().decode(new Uint8Array(buffer, 8, namesLength)).split("\n") : []
  var offset = 8 + namesLength + ((4 - (namesLength % 4)) % 4)
  var counts = new Uint32Array(buffer, offset, count)
  var total = 0
  for (var i = 0; i < count; i++) total += counts[i]
  var packed = new Uint32Array(buffer, offset + 4 * count, total)
  var tokens = new Map()
  var start = 0
  for (var j = 0; j < count; j++) {
    tokens.set(names[j], packed.subarray(start, start + counts[j]))
    start += counts[j]
  }
  return tokens
}

function shard(number, version) {
  return fetchCached(shards, "s/" + number + ".bin", version, function (r) { return r.arrayBuffer().then(readShard) })
}

function chunk(number, version) {
  return fetchCached(chunks, "d/" + number + ".json", version, function (r) { return r.json() })
}

/* Postings of a unit as packed (id << 8 | weight) arrays, each with a factor: one array for a token;
   for a word prefix, one per indexed word it begins (the word itself at full weight) */
function unitSources(unit, tokens) {
  if (!unit.prefix) {
    var packed = tokens.get(unit.token)
    return packed ? [[packed, 1]] : []
  }
  var sources = []
  tokens.forEach(function (packed, token) {
    if (token.startsWith(unit.token) && T.isWord(token)) sources.push([packed, token === unit.token ? 1 : PREFIX_FACTOR])
  })
  return sources
}

/* ---------------------------------------------------------------- scoring */

/* Documents ranked first by the number of query words they hold whole (the words Material does
   not list as missing under a result), then by the sum of idf * weight of the query's tokens they
   hold, times the cube of the share of the query they cover (three times more for an exact title
   or name). Without the first key a heavily weighted title holding most of a word's bigrams
   outranked the pages holding the very phrase, under a "missing" line of its own. */
function score(words, sourcesByWord, exactSources, documents) {
  var scores = new Float64Array(documents)
  var counts = new Uint16Array(documents * words.length)
  var touched = []
  var best = new Float64Array(documents)
  sourcesByWord.forEach(function (units, w) {
    units.forEach(function (sources) {
      var df = 0
      sources.forEach(function (source) { df += source[0].length })
      if (!df) return
      var idf = Math.log(1 + (documents - Math.min(df, documents) + 0.5) / (df + 0.5))
      var seen = []
      sources.forEach(function (source) {
        var packed = source[0], factor = source[1]
        for (var i = 0; i < packed.length; i++) {
          var doc = packed[i] >>> 8
          var weight = (packed[i] & 0xff) * factor
          if (best[doc] === 0) seen.push(doc)
          if (weight > best[doc]) best[doc] = weight
        }
      })
      for (var k = 0; k < seen.length; k++) {
        var doc = seen[k]
        if (scores[doc] === 0) touched.push(doc)
        scores[doc] += idf * best[doc]
        counts[doc * words.length + w] += 1
        best[doc] = 0
      }
    })
  })
  var exact = new Set()
  exactSources.forEach(function (source) {
    for (var i = 0; i < source[0].length; i++) exact.add(source[0][i] >>> 8)
  })
  var ranked = []
  var top = 0
  touched.forEach(function (doc) {
    var coverage = 0
    var wordsMatched = []
    var whole = 0
    var good = false
    for (var w = 0; w < words.length; w++) {
      var share = counts[doc * words.length + w] / words[w].units.length
      coverage += share / words.length
      wordsMatched.push(share === 1)
      if (share === 1) whole++
      good = good || share >= WORD_MATCH
    }
    if (!good) return
    top = Math.max(top, coverage)
    var factor = exact.has(doc) ? EXACT_FACTOR : 1
    ranked.push({
      doc: doc, coverage: coverage, whole: whole, words: wordsMatched,
      score: factor * scores[doc] * coverage * coverage * coverage
    })
  })
  return ranked
    .filter(function (r) { return r.coverage >= top * KEEP_COVERAGE })
    .sort(function (a, b) { return b.whole - a.whole || b.score - a.score || a.doc - b.doc })
}

/* Ranked documents into result groups: a source's paragraphs together, everything else alone */
function groupResults(ranked, groups) {
  var results = []
  var byGroup = new Map()
  var documents = 0
  for (var i = 0; i < ranked.length && results.length < MAX_RESULTS && documents < MAX_DOCUMENTS; i++) {
    var hit = ranked[i]
    var group = groupOf(hit.doc, groups)
    var existing = group && byGroup.get(group)
    if (existing) {
      if (existing.hits.length < MAX_GROUP_SECTIONS) { existing.hits.push(hit); documents++ }
      continue
    }
    existing = { group: group, hits: [hit] }
    if (group) byGroup.set(group, existing)
    results.push(existing)
    documents++
  }
  return results
}

function groupOf(doc, groups) {
  var low = 0, high = groups.length - 1
  while (low <= high) {
    var middle = (low + high) >> 1
    if (doc < groups[middle][0]) high = middle - 1
    else if (doc > groups[middle][1]) low = middle + 1
    else return groups[middle]
  }
  return null
}

/* ---------------------------------------------------------------- highlighting */

function escapeHTML(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/* The normalized text with, for each normalized character, the original [start, end) */
function normalizedWithOrigins(original) {
  var simple = T.normalize(original)
  if (simple.length === original.length && original.indexOf("\u30fb") === -1 && original.normalize("NFKC") === original) {
    /* already normalized but for case: one character for one (the usual case) */
    var identity = []
    for (var n = 0; n <= original.length; n++) identity.push(n)
    return { text: simple, starts: identity, ends: identity.slice(1) }
  }
  var text = ""
  var starts = []
  var ends = []
  var i = 0
  while (i < original.length) {
    var j = i + (original.codePointAt(i) > 0xffff ? 2 : 1)
    while (j < original.length && /[\u3099\u309a\uff9e\uff9f\u0300-\u036f]/.test(original[j])) j++
    var piece = T.normalize(original.slice(i, j))
    for (var k = 0; k < piece.length; k++) { text += piece[k]; starts.push(i); ends.push(j) }
    i = j
  }
  return { text: text, starts: starts, ends: ends }
}

/* What to find in a text for one query run: a Japanese run's every bigram, since the lookup
   samples a long run's bigrams (bigramsOf) and a text holding only part of the run would lose
   the characters of the bigrams left out; a word (or a prefix) as it was looked up */
function runNeedles(units) {
  var run = units[0].run
  if (!run.japanese || run.text.length < 2) return units
  return allBigrams(run.text).map(function (token) { return { token: token, run: run } })
}

/* Normalized positions where one query run occurs; a Japanese run counts only where at least
   three of its characters (or all of a shorter run) match in a row */
function markRun(text, units, marked) {
  var here = new Uint8Array(text.length)
  runNeedles(units).forEach(function (unit) {
    var wordish = T.isWord(unit.token)
    for (var at = text.indexOf(unit.token); at !== -1; at = text.indexOf(unit.token, at + 1)) {
      var end = at + unit.token.length
      if (wordish && at > 0 && T.isWord(text[at - 1])) continue
      if (wordish && unit.prefix) while (end < text.length && T.isWord(text[end])) end++
      else if (wordish && end < text.length && T.isWord(text[end])) continue
      for (var k = at; k < end; k++) here[k] = 1
    }
  })
  var least = Math.min(3, units[0].run.text.length)
  for (var start = 0; start < here.length; start++) {
    if (!here[start]) continue
    var stop = start
    while (stop < here.length && here[stop]) stop++
    if (stop - start >= least) for (var k = start; k < stop; k++) marked[k] = 1
    start = stop
  }
}

/* Normalized positions where a word of several runs occurs whole, what lies between its runs
   (a hyphen, a point, an apostrophe) included */
function markWhole(text, word, marked) {
  var whole = word.whole
  var prefix = word.units.some(function (unit) { return unit.prefix })
  for (var at = text.indexOf(whole); at !== -1; at = text.indexOf(whole, at + 1)) {
    var end = at + whole.length
    if (T.isWord(whole) && at > 0 && T.isWord(text[at - 1])) continue
    if (T.isWord(whole[whole.length - 1]) && end < text.length && T.isWord(text[end])) {
      if (!prefix) continue
      while (end < text.length && T.isWord(text[end])) end++
    }
    for (var k = at; k < end; k++) marked[k] = 1
  }
}

/* Original [start, end) ranges where the query occurs */
function matchRanges(original, words) {
  var folded = normalizedWithOrigins(original)
  var marked = new Uint8Array(folded.text.length)
  var byRun = new Map()
  words.forEach(function (word) {
    word.units.forEach(function (unit) {
      if (!byRun.has(unit.run)) byRun.set(unit.run, [])
      byRun.get(unit.run).push(unit)
    })
  })
  byRun.forEach(function (units) { markRun(folded.text, units, marked) })
  words.forEach(function (word) { if (word.whole) markWhole(folded.text, word, marked) })
  var ranges = []
  for (var k = 0; k < marked.length; k++) {
    if (!marked[k]) continue
    var start = folded.starts[k]
    var stop = folded.ends[k]
    while (k + 1 < marked.length && marked[k + 1]) stop = folded.ends[++k]
    var previous = ranges[ranges.length - 1]
    if (previous && previous[1] >= start) previous[1] = Math.max(stop, previous[1])
    else ranges.push([start, stop])
  }
  return ranges
}

function highlight(original, ranges, from, to) {
  var html = ""
  var at = from
  ranges.forEach(function (range) {
    var start = Math.max(range[0], from)
    var end = Math.min(range[1], to)
    if (end <= start) return
    html += escapeHTML(original.slice(at, start)) + "<mark>" + escapeHTML(original.slice(start, end)) + "</mark>"
    at = end
  })
  return html + escapeHTML(original.slice(at, to))
}

function teaser(text, words) {
  var ranges = matchRanges(text, words)
  var from = ranges.length ? Math.max(0, ranges[0][0] - EXCERPT_BEFORE) : 0
  var to = Math.min(text.length, from + EXCERPT_LENGTH)
  return (from > 0 ? "…" : "") + highlight(text, ranges, from, to) + (to < text.length ? "…" : "")
}

/* ---------------------------------------------------------------- search */

/* Answer a query: first the leading results, as soon as their titles are in, then all of them
   (Material redraws the list with the same leading items and more below) */
function search(value, answer, current) {
  var words = parseQuery(value)
  if (!words.length) return Promise.resolve(answer({ items: [], total: 0 }))
  return loadManifest().then(function (index) {
    var exact = T.exactToken(value)
    var needed = new Set([T.shardOf(exact, index.shards)])
    words.forEach(function (word) {
      word.units.forEach(function (unit) { needed.add(T.shardOf(unit.token, index.shards)) })
    })
    var numbers = Array.from(needed)
    return Promise.all(numbers.map(function (n) { return shard(n, index.version) })).then(function (loaded) {
      var byNumber = new Map()
      numbers.forEach(function (n, i) { byNumber.set(n, loaded[i]) })
      function sources(unit) { return unitSources(unit, byNumber.get(T.shardOf(unit.token, index.shards))) }
      var sourcesByWord = words.map(function (word) { return word.units.map(sources) })
      var ranked = score(words, sourcesByWord, sources({ token: exact }), index.documents)
      var results = groupResults(ranked, index.groups)
      var first = leadingResults(results, FIRST_DOCUMENTS)
      var shown = first.length < results.length ? render(first, words, index, ranked.length).then(answer) : Promise.resolve()
      return shown.then(function () {
        if (current()) return render(results, words, index, ranked.length).then(answer)
      })
    })
  })
}

/* The first results that together show at most `documents` documents (at least one result) */
function leadingResults(results, documents) {
  var count = 0
  for (var i = 0; i < results.length; i++) {
    count += results[i].hits.length
    if (count > documents) return results.slice(0, Math.max(1, i))
  }
  return results
}

function render(results, words, index, total) {
  var wanted = new Set()
  results.forEach(function (result) {
    result.hits.forEach(function (hit) { wanted.add(Math.floor(hit.doc / index.chunk)) })
  })
  var numbers = Array.from(wanted)
  return Promise.all(numbers.map(function (n) { return chunk(n, index.version) })).then(function (loaded) {
    var byNumber = new Map()
    numbers.forEach(function (n, i) { byNumber.set(n, loaded[i]) })
    function documentOf(doc) { return byNumber.get(Math.floor(doc / index.chunk))[doc % index.chunk] }
    var items = results.map(function (result) { return item(result, words, documentOf) })
    return { items: items, total: total }
  })
}

function terms(words, hit) {
  var found = {}
  words.forEach(function (word, w) { found[word.original] = hit.words[w] })
  return found
}

function searchItem(row, hit, words) {
  return {
    location: row[0],
    title: highlight(row[1], matchRanges(row[1], words), 0, row[1].length),
    text: teaser(row[2], words),
    score: hit.score,
    terms: terms(words, hit)
  }
}

/* One result item for Material: a list whose page entry (no #) comes first, then its sections */
function item(result, words, documentOf) {
  var hits = result.hits
  if (!result.group) return [searchItem(documentOf(hits[0].doc), hits[0], words)]
  var sections = hits.map(function (hit) { return searchItem(documentOf(hit.doc), hit, words) })
  var at = sections.map(function (section) { return section.location }).indexOf(result.group[2])
  var page = at === -1 ? null : sections[at]
  var rest = sections.filter(function (_, i) { return i !== at })
  var restHits = hits.filter(function (_, i) { return i !== at })
  var open = openSections(restHits, hits[0])
  var threshold = open ? rest[open - 1].score : hits[0].score
  /* Material opens the leading sections scoring at least the page entry's score and puts the
     others under "more"; a closed section scoring as high (one missing a word, ranked below
     sections holding it whole) is reported below the page entry so that it stays closed */
  for (var i = open; i < rest.length; i++) rest[i].score = Math.min(rest[i].score, threshold * SHOWN_SECTIONS)
  if (!page) page = { location: result.group[2], title: escapeHTML(result.group[3]), text: "", terms: terms(words, hits[0]) }
  page.score = threshold
  return [page].concat(rest)
}

/* How many of a group's leading sections to show open: at most MAX_SHOWN_SECTIONS, each holding
   as many query words whole as the group's best hit and scoring at least a share of it */
function openSections(hits, best) {
  var open = 0
  while (open < hits.length && open < MAX_SHOWN_SECTIONS && hits[open].whole === best.whole &&
         hits[open].score >= best.score * SHOWN_SECTIONS) open++
  return open
}
