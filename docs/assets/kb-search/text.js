/*
 * Search text: normalization and segmentation, the browser half of scripts/kb/search/search_text.py.
 * Both must give the same result; tests/search_text_cases.yaml is checked against both.
 * Loaded by the search worker (importScripts) and usable in a page (defines self.KBSearchText).
 */
(function (scope) {
  "use strict"

  var CJK_CLASS = "\u3005\u3006\u3041-\u3096\u30a1-\u30fa\u30fc\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
  var WORD_CLASS = "0-9a-z\u00df-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
  var KANJI_CLASS = "\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
  var RUN = new RegExp("([" + CJK_CLASS + "]+)|([" + WORD_CLASS + "]+)", "g")
  var WORD_START = new RegExp("^[" + WORD_CLASS + "]")
  var KANJI = new RegExp("[" + KANJI_CLASS + "]", "g")
  var KANJI_ONE = new RegExp("^[" + KANJI_CLASS + "]$")
  var PREFIX_LENGTH = 3

  /* NFKC, lowercase, without the middle dot ・ */
  function normalize(text) {
    return text.normalize("NFKC").toLowerCase().split("\u30fb").join("")
  }

  /* Runs of normalized text: [run, true] for a Japanese run, [run, false] for a word */
  function runs(normalized) {
    var found = []
    var match
    RUN.lastIndex = 0
    while ((match = RUN.exec(normalized)) !== null) {
      found.push(match[1] ? [match[1], true, match.index] : [match[2], false, match.index])
    }
    return found
  }

  /* Tokens of one Japanese run: its bigrams (or its one character) and its kanji */
  function runTokens(run) {
    if (run.length === 1) return [run]
    var found = []
    for (var i = 0; i + 1 < run.length; i++) found.push(run.slice(i, i + 2))
    return found.concat(run.match(KANJI) || [])
  }

  /* Every token of a text, as the index builder makes them */
  function tokens(text) {
    var found = []
    runs(normalize(text)).forEach(function (item) {
      if (item[1]) found = found.concat(runTokens(item[0]))
      else found.push(item[0])
    })
    return found
  }

  /* The token of a whole title or name: its runs joined by spaces, marked with "=" */
  function exactToken(text) {
    return "=" + runs(normalize(text)).map(function (item) { return item[0] }).join(" ")
  }

  function isWord(token) {
    return WORD_START.test(token)
  }

  function isKanji(char) {
    return KANJI_ONE.test(char)
  }

  function shardKey(token) {
    return isWord(token) ? token.slice(0, PREFIX_LENGTH) : token
  }

  /* 32-bit FNV-1a over code points, each taken as up to 4 bytes, low byte first */
  function fnv1a(text) {
    var value = 0x811c9dc5
    for (var char of text) {
      var code = char.codePointAt(0)
      do {
        value = Math.imul(value ^ (code & 0xff), 0x01000193) >>> 0
        code = code >>> 8
      } while (code)
    }
    return value >>> 0
  }

  function shardOf(token, shardCount) {
    return fnv1a(shardKey(token)) % shardCount
  }

  scope.KBSearchText = {
    PREFIX_LENGTH: PREFIX_LENGTH,
    normalize: normalize,
    runs: runs,
    runTokens: runTokens,
    tokens: tokens,
    exactToken: exactToken,
    isWord: isWord,
    isKanji: isKanji,
    shardKey: shardKey,
    fnv1a: fnv1a,
    shardOf: shardOf
  }
})(self)
