/*
 * Search worker for Material for MkDocs, answering Material's search messages
 * (SETUP 0 -> READY 1, QUERY 2 -> RESULT 3) from the sharded index that
 * scripts/kb/search/search_index.py writes to search/kb/. Material's own search box,
 * keyboard shortcuts and result list stay as they are; only this worker differs.
 *
 * A query is understood (question wording dropped), normalized and cut into tokens
 * exactly as the index was (text.js). Each query word is looked up as typed and as
 * its other forms: the word its reading stands for, other names of a glossary term,
 * curated synonyms (lexicon.json), ranked below the word as typed. A Latin word the
 * index does not hold is read as romaji. When that finds little, a looser pass looks
 * up the content words of a phrase, fewer of a word's bigrams and the nearest words
 * of the index (vocabulary.json). The worker fetches the shards holding the tokens
 * and, for the results shown, the chunks holding their titles and excerpts.
 *
 * Besides Material's messages, the worker says on the BroadcastChannel "kb-search"
 * how it read a query (a correction, suggestions for an empty result); input.js shows it.
 */
"use strict"

importScripts("text.js")

var T = self.KBSearchText
/* The edition's index: the English pages start the worker with ?index=kb-en (overrides/partials/kb-search.html) */
var INDEXES = ["kb", "kb-en"]
var INDEX_NAME = new URLSearchParams(self.location.search).get("index")
var INDEX = new URL("../../search/" + (INDEXES.indexOf(INDEX_NAME) >= 0 ? INDEX_NAME : "kb") + "/", self.location)
var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3
var MAX_RESULTS = 20         /* result items returned (Material renders 10, then more on scroll) */
var MAX_DOCUMENTS = 24       /* documents whose title and excerpt a query fetches, sections included */
var FIRST_DOCUMENTS = 8      /* documents of the first answer; the other results follow in a second one */
var MAX_GROUP_SECTIONS = 4   /* glossary entries or paragraphs shown under one page */
var MAX_BIGRAMS_PER_RUN = 8  /* a longer Japanese run is looked up by every other bigram */
var PREFIX_FACTOR = 0.7      /* a word matched only as a prefix counts less */
var KEEP_COVERAGE = 0.6      /* keep documents matching at least this share of the best coverage */
var WORD_MATCH = 0.75        /* a document matches a word holding this share of its tokens; it must match one */
var LOOSE_BELOW = 3          /* the looser pass runs when the first finds fewer results than this */
var EXACT_FACTOR = 3         /* a title or name equal to the whole query */
var READING_FACTOR = 1       /* a kana word read as the word in kanji it stands for: the same word */
var ROMAJI_FACTOR = 1        /* a Latin word read as romaji */
var LOOSE_ROMAJI_FACTOR = 0.7 /* ... with a letter read outside a syllable (purompto) */
var SYNONYM_FACTOR = 0.6     /* another name of the same glossary term */
var CURATED_FACTOR = 0.5     /* a curated synonym (scripts/kb/search/search_synonyms.yaml) */
var RELATED_FACTOR = 0.3     /* a related glossary term (looser pass) */
var FUZZY_FACTOR = 0.8       /* the nearest word of the index to a misspelled one */
var DOUBTFUL_FACTOR = 0.75   /* a Japanese word as typed, when the index knows a word one edit from it */
var PLURAL_FACTOR = 0.9      /* an English word without its plural ending (rewards -> reward) */
var MAX_CORRECTIONS = 2      /* nearest words tried for one misspelled word */
var MAX_SUGGESTIONS = 3
var SHOWN_SECTIONS = 0.5     /* sections of a grouped result shown open: at least this share of its best */
var MAX_SHOWN_SECTIONS = 3
var EXCERPT_BEFORE = 30
var EXCERPT_LENGTH = 160

var manifest = null
var lexicon = null
var vocabulary = null
var shards = new Map()
var chunks = new Map()
var latest = 0
var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("kb-search") : null

self.addEventListener("message", function (event) {
  var message = event.data
  if (message.type === SETUP) {
    Promise.all([loadManifest(), loadLexicon()]).then(
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

function loadJSON(path, cacheMode) {
  return fetch(new URL(path, INDEX), { cache: cacheMode || "default" }).then(function (response) {
    if (!response.ok) throw new Error(path + ": HTTP " + response.status)
    return response.json()
  })
}

function loadManifest() {
  if (!manifest) {
    manifest = loadJSON("manifest.json", "no-cache").catch(function (error) {
      manifest = null
      throw error
    })
  }
  return manifest
}

/* lexicon.json (scripts/kb/search/search_lexicon.py) as lookups by normalized word */
function loadLexicon() {
  if (!lexicon) {
    lexicon = loadManifest().then(function (index) {
      return loadJSON("lexicon.json?v=" + index.version)
    }).then(readLexicon).catch(function (error) {
      lexicon = null
      throw error
    })
  }
  return lexicon
}

function readLexicon(data) {
  var others = new Map()     /* normalized word -> [{ text, factor, kind }] */
  var groupsOf = new Map()   /* normalized name -> glossary groups naming it */
  function add(key, text, factor, kind) {
    if (!key || T.normalize(text) === key) return
    if (!others.has(key)) others.set(key, [])
    var list = others.get(key)
    if (!list.some(function (other) { return other.text === text })) list.push({ text: text, factor: factor, kind: kind })
  }
  Object.keys(data.readings).forEach(function (spoken) { add(spoken, data.readings[spoken], READING_FACTOR, "reading") })
  data.groups.forEach(function (names, group) {
    names.forEach(function (name) {
      var key = T.normalize(name)
      if (!groupsOf.has(key)) groupsOf.set(key, [])
      groupsOf.get(key).push(group)
      names.forEach(function (other) { add(key, other, SYNONYM_FACTOR, "synonym") })
    })
  })
  data.curated.forEach(function (entry) {
    entry[1].forEach(function (other) { add(T.normalize(entry[0]), other, CURATED_FACTOR, "synonym") })
  })
  return { others: others, groupsOf: groupsOf, groups: data.groups, related: data.related }
}

/* vocabulary.json: the index's own words, normalized, for corrections; fetched when first needed */
function loadVocabulary(index) {
  if (!vocabulary) {
    vocabulary = loadJSON("vocabulary.json?v=" + index.version).then(function (words) {
      return words.map(function (word) { return { text: word, key: T.normalize(word).replace(/\s+/g, "") } })
    }).catch(function (error) {
      vocabulary = null
      throw error
    })
  }
  return vocabulary
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

/* A query word: what was typed, and the forms it is looked up by (alternatives), each a list of
   units (a token to look up, or a word prefix) with the factor its matches count */
function queryWord(original, last) {
  var word = { original: original, key: T.normalize(original).replace(/\s+/g, ""), alternatives: [], corrections: [] }
  word.latin = /^[a-zāīūēōâîûêô'-]+$/i.test(original)
  addAlternative(word, original, 1, "literal", last)
  var singular = word.latin && singularOf(word.key)
  if (singular) addAlternative(word, singular, PLURAL_FACTOR, "synonym", false)
  return word
}

/* An English plural's singular (rewards, ghosts, theories, boxes), or null */
function singularOf(key) {
  if (key.length < 4 || !/s$/.test(key) || /(ss|us|is)$/.test(key)) return null
  if (/ies$/.test(key)) return key.slice(0, -3) + "y"
  if (/(x|ch|sh)es$/.test(key)) return key.slice(0, -2)
  return key.slice(0, -1)
}

/* Where a text holds both: whether each normalized character was typed in hiragana */
function typedInHiragana(text) {
  var folded = T.normalizedWithOrigins(text)
  var kana = folded.starts.map(function (start) { return /^[\u3041-\u3096]$/.test(text[start]) })
  var other = folded.starts.some(function (start, n) { return !kana[n] && T.runs(folded.text[n]).some(function (r) { return r[1] }) })
  return kana.some(Boolean) && other ? kana : null
}

function addAlternative(word, text, factor, kind, prefixAllowed) {
  var normalized = T.normalize(text)
  if (word.alternatives.some(function (alt) { return alt.normalized === normalized })) return null
  var found = T.runs(normalized)
  /* In a word mixing kanji or katakana with hiragana (大きくなってから), a bigram of two hiragana is
     inflection or a particle: not looked up, so it never decides what the word matches */
  var hiragana = kind === "literal" ? typedInHiragana(text) : null
  var units = []
  found.forEach(function (item, runIndex, all) {
    var run = item[0]
    var tag = { text: run, japanese: item[1], single: all.length > 1 && run.length === 1 }
    if (!item[1]) {
      var prefix = prefixAllowed && runIndex === all.length - 1 && run.length >= T.PREFIX_LENGTH
      units.push({ token: run, prefix: prefix, run: tag })
    } else if (run.length === 1) {
      units.push({ token: run, optional: !T.isKanji(run), run: tag })
    } else {
      bigramsOf(run).forEach(function (at) {
        var optional = hiragana && hiragana[item[2] + at] && hiragana[item[2] + at + 1]
        units.push({ token: run.slice(at, at + 2), run: tag, optional: Boolean(optional) })
      })
    }
  })
  var required = units.filter(function (unit) { return !unit.optional })
  var mixed = Boolean(hiragana) && required.length < units.length
  units = required.length ? required : units
  if (!units.length) return null
  var alternative = {
    text: text, normalized: normalized, factor: factor, kind: kind, units: units,
    whole: spanOfRuns(normalized, found), mixed: mixed
  }
  word.alternatives.push(alternative)
  return alternative
}

/* Other forms of a word from the lexicon: the kanji its reading stands for, other names, synonyms */
function addOtherForms(word, key, lex, factorScale) {
  ;(lex.others.get(key) || []).forEach(function (other) {
    addAlternative(word, other.text, other.factor * factorScale, other.kind, false)
  })
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

/* Where the bigrams a Japanese run is looked up by start: all of them, or every other one and the last */
function bigramsOf(run) {
  var all = []
  for (var i = 0; i + 1 < run.length; i++) all.push(i)
  if (all.length <= MAX_BIGRAMS_PER_RUN) return all
  var some = all.filter(function (i) { return i % 2 === 0 })
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

/* The postings of every unit of every alternative of `words`: fetches the shards not yet loaded */
function resolve(words, index) {
  var numbers = new Set()
  words.forEach(function (word) {
    word.alternatives.forEach(function (alt) {
      alt.units.forEach(function (unit) { numbers.add(T.shardOf(unit.token, index.shards)) })
    })
  })
  var list = Array.from(numbers)
  return Promise.all(list.map(function (n) { return shard(n, index.version) })).then(function () {
    var pending = []
    words.forEach(function (word) {
      word.alternatives.forEach(function (alt) {
        alt.units.forEach(function (unit) {
          if (unit.sources) return
          pending.push(shard(T.shardOf(unit.token, index.shards), index.version).then(function (tokens) {
            unit.sources = unitSources(unit, tokens)
          }))
        })
      })
    })
    return Promise.all(pending)
  })
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

/* Documents ranked first by the number of query words they hold (the words Material does not list
   as missing under a result), then by those words' factors (as typed 1, another form less), then
   by the words they hold whole, then by the sum of idf * weight * factor of the query's tokens they
   hold, times the cube of the share of the query they cover (three times more for an exact title
   or name). A word counts as held where one of its forms has at least `threshold` of its tokens; a
   document must hold `needed` words. */
function score(words, exactSources, documents, threshold, needed, keep) {
  var slots = []
  words.forEach(function (word, w) {
    word.alternatives.forEach(function (alt) { slots.push({ word: w, alt: alt }) })
  })
  var perDoc = new Map()
  slots.forEach(function (slot, s) {
    slot.alt.units.forEach(function (unit) {
      var sources = unit.sources || []
      var df = 0
      sources.forEach(function (source) { df += source[0].length })
      if (!df) return
      var idf = Math.log(1 + (documents - Math.min(df, documents) + 0.5) / (df + 0.5))
      var best = new Map()
      sources.forEach(function (source) {
        var packed = source[0], factor = source[1]
        for (var i = 0; i < packed.length; i++) {
          var doc = packed[i] >>> 8
          var weight = (packed[i] & 0xff) * factor
          if (!(best.get(doc) >= weight)) best.set(doc, weight)
        }
      })
      best.forEach(function (weight, doc) {
        var entry = perDoc.get(doc)
        if (!entry) { entry = new Float64Array(2 * slots.length); perDoc.set(doc, entry) }
        entry[2 * s] += 1
        entry[2 * s + 1] += idf * weight
      })
    })
  })
  var exact = new Set()
  exactSources.forEach(function (source) {
    for (var i = 0; i < source[0].length; i++) exact.add(source[0][i] >>> 8)
  })
  var heldAnywhere = words.map(function () { return false })
  var wholeAnywhere = words.map(function () { return false })
  var ranked = []
  var top = 0
  perDoc.forEach(function (entry, doc) {
    var picks = words.map(function () { return null })
    var shares = words.map(function () { return 0 })
    slots.forEach(function (slot, s) {
      var share = entry[2 * s] / slot.alt.units.length
      if (share > shares[slot.word]) shares[slot.word] = share
      if (share < threshold) return
      if (share === 1) wholeAnywhere[slot.word] = true
      var candidate = { alt: slot.alt, share: share, value: share * slot.alt.factor, weight: entry[2 * s + 1] * slot.alt.factor }
      if (better(candidate, picks[slot.word])) picks[slot.word] = candidate
    })
    var held = 0
    var heldFactors = 0
    var whole = 0
    var sum = 0
    picks.forEach(function (pick, w) {
      if (!pick) return
      held++
      heldFactors += pick.alt.factor
      heldAnywhere[w] = true
      if (pick.share === 1) whole += pick.alt.factor
      sum += pick.weight
    })
    if (held < needed) return
    var coverage = shares.reduce(function (a, b) { return a + b }, 0) / words.length
    top = Math.max(top, coverage)
    var factor = exact.has(doc) ? EXACT_FACTOR : 1
    ranked.push({
      doc: doc, coverage: coverage, held: held, heldFactors: heldFactors, whole: whole, picks: picks,
      score: factor * sum * coverage * coverage * coverage
    })
  })
  ranked = ranked
    .filter(function (r) { return r.coverage >= top * keep })
    .sort(function (a, b) {
      return b.held - a.held || b.heldFactors - a.heldFactors || b.whole - a.whole || b.score - a.score || a.doc - b.doc
    })
  ranked.held = heldAnywhere
  ranked.whole = wholeAnywhere
  return ranked
}

var KIND_PREFERENCE = { reading: 0, literal: 1, synonym: 2, fuzzy: 2, related: 3, romaji: 4 }
/* Whether a matched form is a better reading of a word than the one kept: it is held whole where
   the other is not (ファインチューニング, corrected, over 7 of the 8 bigrams of ファインチューニンク);
   or it counts more; or as much, and it is the word as written in the text rather than as typed
   (a reading, not the kana typed; a word, not its romaji), or it weighs more */
function better(candidate, kept) {
  if (!kept) return true
  if ((candidate.share === 1) !== (kept.share === 1)) return candidate.share === 1
  if (candidate.value !== kept.value) return candidate.value > kept.value
  var preference = KIND_PREFERENCE[candidate.alt.kind] - KIND_PREFERENCE[kept.alt.kind]
  return preference ? preference < 0 : candidate.weight > kept.weight
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

/* ---------------------------------------------------------------- the looser pass */

/* The words of the looser pass: each Japanese phrase cut into its content words, each word with
   fewer of its tokens required, its nearest words in the index and its related glossary terms */
function looseWords(words, lex, vocabularyWords) {
  var loose = []
  var corrections = []
  words.forEach(function (word) {
    var content = word.latin ? [word.original] : T.contentWords(word.original)
    if (content.length < 2) content = [word.original]
    content.forEach(function (text) {
      var part = content.length > 1 ? queryWord(text, false) : word
      if (part !== word) addOtherForms(part, part.key, lex, 1)
      if (word.kana) addKana(part, word.kana, lex, ROMAJI_FACTOR)
      nearestWords(part, vocabularyWords).forEach(function (nearest) {
        if (addAlternative(part, nearest.text, FUZZY_FACTOR, "fuzzy", false)) part.corrections.push(nearest.text)
      })
      part.corrections.forEach(function (text) { corrections.push([part.original, text]) })
      ;(lex.groupsOf.get(part.key) || []).forEach(function (group) {
        ;(lex.related[group] || []).forEach(function (other) {
          addAlternative(part, lex.groups[other][0], RELATED_FACTOR, "related", false)
        })
      })
      loose.push(part)
    })
  })
  return { words: loose, corrections: corrections }
}

var LONG_JAPANESE = 4  /* a Japanese word of this many characters is checked against the vocabulary */

function isLongJapanese(word) {
  return !word.latin && word.key.length >= LONG_JAPANESE && T.runs(word.key).some(function (run) { return run[1] })
}

/* Edits allowed between a word and a word of the index: none for short words */
function editsAllowed(key, latin) {
  if (latin) return key.length >= 8 ? 2 : key.length >= 4 ? 1 : 0
  return key.length >= 7 ? 2 : key.length >= 3 ? 1 : 0
}

/* The words of the index nearest to `word` (at most MAX_CORRECTIONS); none for a word of the index */
function nearestWords(word, vocabularyWords, extra) {
  var key = word.key
  var limit = editsAllowed(key, word.latin) + (extra || 0)
  if (!limit || vocabularyWords.some(function (entry) { return entry.key === key })) return []
  var found = []
  vocabularyWords.forEach(function (entry) {
    if (Math.abs(entry.key.length - key.length) > limit) return
    var distance = T.editDistance(key, entry.key, limit)
    if (distance <= limit) found.push({ text: entry.text, distance: distance })
  })
  found.sort(function (a, b) { return a.distance - b.distance || a.text.length - b.text.length || (a.text < b.text ? -1 : 1) })
  var best = found.length ? found[0].distance : 0
  return found.filter(function (entry) { return entry.distance === best }).slice(0, MAX_CORRECTIONS)
}

/* A word no document holds whole: a Latin word read as romaji (its kana, its spelling of a
   loanword, and the words of the lexicon they stand for), and any word as a misspelling of the
   nearest words of the index. A romaji reading that needed a letter outside a syllable (purompto)
   counts less than a near word. */
function readDoubtfulWord(word, lex, vocabularyWords, heldWhole) {
  var read = word.latin ? T.romaji(word.original) : null
  if (read) {
    word.kana = read.kana
    var factor = read.strays ? LOOSE_ROMAJI_FACTOR : ROMAJI_FACTOR
    addKana(word, read.kana, lex, factor)
    if (read.loan !== read.kana) addKana(word, read.loan, lex, factor)
  }
  /* a word some document holds all the bigrams of is corrected only by one character replaced
     (ファインチューニンク), never shortened or lengthened (プロンプト学習 is not a misspelling of プロンプト) */
  var nearest = nearestWords(word, vocabularyWords).filter(function (entry) {
    return !heldWhole || (entry.distance === 1 && T.normalize(entry.text).replace(/\s+/g, "").length === word.key.length)
  })
  nearest.forEach(function (entry) {
    if (addAlternative(word, entry.text, FUZZY_FACTOR, "fuzzy", false)) word.corrections.push(entry.text)
  })
  /* a Japanese word the index does not know, one character from one it knows: most likely a misspelling of it */
  if (!word.latin && nearest.some(function (entry) { return entry.distance === 1 })) word.alternatives[0].factor = DOUBTFUL_FACTOR
}

function addKana(word, kana, lex, factor) {
  if (!addAlternative(word, kana, factor, "romaji", false)) return
  addOtherForms(word, T.normalize(kana), lex, factor)
}

/* ---------------------------------------------------------------- highlighting */

function escapeHTML(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
}

/* Normalized positions where one Japanese run of a matched form occurs: stretches covered by its
   bigrams holding at least `share` of it (all of a run of one or two characters), so a stray
   bigram is never marked */
function markRun(text, run, share, marked) {
  var here = new Uint8Array(text.length)
  var pieces = run.length < 2 ? [run] : allBigrams(run)
  pieces.forEach(function (token) {
    for (var at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + 1)) {
      for (var k = at; k < at + token.length; k++) here[k] = 1
    }
  })
  var least = run.length <= 2 ? run.length : Math.max(3, Math.ceil(run.length * share))
  for (var start = 0; start < here.length; start++) {
    if (!here[start]) continue
    var stop = start
    while (stop < here.length && here[stop]) stop++
    if (stop - start >= least) for (var k2 = start; k2 < stop; k2++) marked[k2] = 1
    start = stop
  }
}

/* Normalized positions where a word (or a word prefix) occurs whole */
function markWord(text, unit, marked) {
  for (var at = text.indexOf(unit.token); at !== -1; at = text.indexOf(unit.token, at + 1)) {
    var end = at + unit.token.length
    if (at > 0 && T.isWord(text[at - 1])) continue
    if (unit.prefix) while (end < text.length && T.isWord(text[end])) end++
    else if (end < text.length && T.isWord(text[end])) continue
    for (var k = at; k < end; k++) marked[k] = 1
  }
}

/* Normalized positions where a form of several runs occurs whole, what lies between its runs
   (a hyphen, a point, an apostrophe) included */
function markWhole(text, alt, marked) {
  var whole = alt.whole
  var prefix = alt.units.some(function (unit) { return unit.prefix })
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

/* Normalized positions where one matched form occurs; of a phrase mixing kana with kanji or
   katakana, where the bigrams it was looked up by occur (大き and 小さ of 大きくなってから小さくなる) */
function markAlternative(text, alt, share, marked) {
  if (alt.mixed) {
    alt.units.forEach(function (unit) { if (unit.run.japanese) markRun(text, unit.token, 1, marked) })
    return
  }
  var done = new Set()
  alt.units.forEach(function (unit) {
    if (done.has(unit.run)) return
    done.add(unit.run)
    if (!unit.run.japanese) markWord(text, unit, marked)
    else if (!unit.run.single) markRun(text, unit.run.text, share, marked)
  })
  if (alt.whole) markWhole(text, alt, marked)
}

var MID_SYLLABLE = /[ぁぃぅぇぉゃゅょゎァィゥェォャュョヮー]/
var DROPPED = /^[ー\u3041-\u3096\u30a1-\u30fa]+$/

/* Original [start, end) ranges where the forms in `alternatives` occur: whole syllables (a range
   never starts or ends inside ミュ or ロー), the long vowels the normalization dropped included */
function matchRanges(original, alternatives, share) {
  var folded = T.normalizedWithOrigins(original)
  var marked = new Uint8Array(folded.text.length)
  alternatives.forEach(function (alt) { markAlternative(folded.text, alt, share, marked) })
  var ranges = []
  for (var k = 0; k < marked.length; k++) {
    if (!marked[k]) continue
    var start = folded.starts[k]
    var stop = folded.ends[k]
    while (k + 1 < marked.length && marked[k + 1]) stop = folded.ends[++k]
    var next = k + 1 < marked.length ? folded.starts[k + 1] : original.length
    if (next > stop && DROPPED.test(original.slice(stop, next))) stop = next
    if (MID_SYLLABLE.test(original[start]) || (MID_SYLLABLE.test(original[stop] || "") && !/[ー]/.test(original[stop]))) continue
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

function teaser(text, ranges) {
  var from = ranges.length ? Math.max(0, ranges[0][0] - EXCERPT_BEFORE) : 0
  var to = Math.min(text.length, from + EXCERPT_LENGTH)
  return (from > 0 ? "…" : "") + highlight(text, ranges, from, to) + (to < text.length ? "…" : "")
}

/* ---------------------------------------------------------------- search */

/* Answer a query: first the leading results, as soon as their titles are in, then all of them
   (Material redraws the list with the same leading items and more below) */
function search(value, answer, current) {
  var understood = T.understand(value)
  if (!understood.words.length) { tell(value, {}); return Promise.resolve(answer({ items: [], total: 0 })) }
  return Promise.all([loadManifest(), loadLexicon().catch(function () { return readLexicon({ readings: {}, groups: [], related: [], curated: [] }) })])
    .then(function (loaded) {
      var index = loaded[0], lex = loaded[1]
      var words = understood.words.map(function (text, n) {
        var word = queryWord(text, n === understood.words.length - 1 && !/\s$/.test(value))
        addOtherForms(word, word.key, lex, 1)
        return word
      })
      /* the title or name equal to the whole query, looked up as one token */
      var exactUnit = { token: T.exactToken(understood.words.join(" ")) }
      var exactWord = { alternatives: [{ units: [exactUnit] }] }
      var exactSources = []
      return resolve(words.concat([exactWord]), index).then(function () {
        exactSources = exactUnit.sources || []
        var ranked = score(words, exactSources, index.documents, WORD_MATCH, 1, KEEP_COVERAGE)
        /* a word no document holds whole: a Latin word read as romaji, and any word as a misspelling;
           a longer Japanese word too, since a document may hold all its bigrams apart (ファインチューニング
           and リンク hold every bigram of ファインチューニンク) */
        var doubtful = words.filter(function (word, w) { return !ranked.whole[w] || isLongJapanese(word) })
        if (!doubtful.length) return ranked
        return loadVocabulary(index).catch(function () { return [] }).then(function (vocabularyWords) {
          doubtful.forEach(function (word) { readDoubtfulWord(word, lex, vocabularyWords, ranked.whole[words.indexOf(word)]) })
          return resolve(words, index)
        }).then(function () {
          return score(words, exactSources, index.documents, WORD_MATCH, 1, KEEP_COVERAGE)
        })
      }).then(function (ranked) {
        if (ranked.length >= LOOSE_BELOW) return { ranked: ranked, words: words, notes: correctionsUsed(words, ranked) }
        return loosePass(words, ranked, exactSources, index, lex)
      }).then(function (outcome) {
        if (!current()) return null
        outcome.notes.empty = !outcome.ranked.length
        tell(value, outcome.notes)
        var results = groupResults(outcome.ranked, index.groups)
        var first = leadingResults(results, FIRST_DOCUMENTS)
        var total = outcome.ranked.length
        var shown = first.length < results.length ? render(first, outcome.words, index, total).then(answer) : Promise.resolve()
        return shown.then(function () {
          if (current()) return render(results, outcome.words, index, total).then(answer)
        })
      })
    })
}

/* The looser pass: its results after those of the first; a note of the corrections it made, or,
   when nothing is found, suggestions */
function loosePass(words, ranked, exactSources, index, lex) {
  return loadVocabulary(index).catch(function () { return [] }).then(function (vocabularyWords) {
    var loose = looseWords(words, lex, vocabularyWords)
    return resolve(loose.words, index).then(function () {
      var needed = Math.max(1, Math.ceil(loose.words.length / 2))
      var more = score(loose.words, exactSources, index.documents, WORD_MATCH, needed, 0)
      var seen = new Set(ranked.map(function (hit) { return hit.doc }))
      var extra = more.filter(function (hit) { return !seen.has(hit.doc) })
      var notes = correctionsUsed(loose.words, ranked.concat(extra))
      if (!ranked.length && !extra.length) notes.suggestions = suggestions(words, loose.words, more.held, vocabularyWords)
      if (!ranked.length) return { ranked: extra, words: loose.words, notes: notes }
      /* the first pass's results keep their forms; the looser words only for the results they add */
      return { ranked: ranked.concat(extra.map(function (hit) { hit.loose = true; return hit })), words: words, looseWords: loose.words, notes: notes }
    })
  })
}

/* The corrections (typed word, word of the index) that decided one of the first results */
function correctionsUsed(words, ranked) {
  var used = []
  ranked.slice(0, MAX_RESULTS).forEach(function (hit) {
    hit.picks.forEach(function (pick, w) {
      if (!pick || pick.alt.kind !== "fuzzy") return
      var pair = [words[w].original, pick.alt.text]
      if (!used.some(function (other) { return other[1] === pair[1] })) used.push(pair)
    })
  })
  return used.length ? { corrected: used } : {}
}

/* For a query that found nothing: a spelling from the index's words (one more edit allowed), the
   katakana of a word read as romaji, and the query without the words nothing holds */
function suggestions(words, looseWords, held, vocabularyWords) {
  var found = []
  words.forEach(function (word) {
    nearestWords(word, vocabularyWords, 1).forEach(function (nearest) {
      found.push(words.map(function (other) { return other === word ? nearest.text : other.original }).join(" "))
    })
    if (word.kana) found.push(T.normalize(word.kana) === word.kana ? word.kana : toKatakana(word.kana))
  })
  var kept = looseWords.filter(function (_, w) { return held[w] }).map(function (word) { return word.original })
  if (kept.length && kept.length < looseWords.length) found.push(kept.join(" "))
  return Array.from(new Set(found)).slice(0, MAX_SUGGESTIONS)
}

function toKatakana(kana) {
  return kana.replace(/[\u3041-\u3096]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) + 0x60) })
}

/* Tell the page how the query was read (input.js shows it): corrections, suggestions */
function tell(query, notes) {
  if (channel) {
    channel.postMessage({ query: query, corrected: notes.corrected || [], suggestions: notes.suggestions || [], empty: Boolean(notes.empty) })
  }
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

/* The words a hit holds and the forms that matched them */
function matched(hit) {
  return hit.picks.filter(Boolean).map(function (pick) { return pick.alt })
}

/* Material's terms of a result: per query word, the form it has in the result's text (a highlight
   on the page after the click, ?h=) and whether it is there; a word the result lacks is listed as
   missing under it, so never a word that matched in any form */
function terms(hit, words, row) {
  var found = {}
  var share = hit.loose ? WORD_MATCH : WORD_MATCH
  hit.picks.forEach(function (pick) {
    if (!pick) return
    found[surfaceOf(pick.alt, row, share)] = true
  })
  if (!hit.loose) {
    hit.picks.forEach(function (pick, w) {
      if (!pick && !(words[w].original in found)) found[words[w].original] = false
    })
  }
  return found
}

/* The form a matched alternative has in the result's title or excerpt, else its own text */
function surfaceOf(alt, row, share) {
  var texts = [row[1], row[2]]
  for (var i = 0; i < texts.length; i++) {
    var ranges = matchRanges(texts[i], [alt], share)
    if (ranges.length) {
      var longest = ranges.reduce(function (a, b) { return b[1] - b[0] > a[1] - a[0] ? b : a })
      return texts[i].slice(longest[0], longest[1])
    }
  }
  return alt.kind === "romaji" ? toKatakana(alt.text) : alt.text
}

function searchItem(row, hit, words) {
  var share = hit.loose ? WORD_MATCH : WORD_MATCH
  var alternatives = matched(hit)
  return {
    location: row[0],
    title: highlight(row[1], matchRanges(row[1], alternatives, share), 0, row[1].length),
    text: teaser(row[2], matchRanges(row[2], alternatives, share)),
    score: hit.score,
    terms: terms(hit, words, row)
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
  if (!page) page = { location: result.group[2], title: escapeHTML(result.group[3]), text: "" }
  /* the group is ranked by its best hit: the page entry lists as missing what that hit lacks */
  page.terms = sections[0].terms
  page.score = threshold
  return [page].concat(rest)
}

/* How many of a group's leading sections to show open: at most MAX_SHOWN_SECTIONS, each holding
   as many query words whole as the group's best hit and scoring at least a share of it */
function openSections(hits, best) {
  var open = 0
  while (open < hits.length && open < MAX_SHOWN_SECTIONS && hits[open].held === best.held && hits[open].whole === best.whole &&
    hits[open].score >= best.score * SHOWN_SECTIONS) open++
  return open
}
