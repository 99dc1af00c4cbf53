/*
 * Search text: normalization and segmentation, the browser half of scripts/kb/search/search_text.py.
 * Both must give the same result; tests/search_text_cases.yaml is checked against both.
 * Query-only rules live here too (romaji to kana, questions, content words of a phrase, edit
 * distance); their cases are in the same file, checked in Chromium.
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

  /* ------------------------------------------------------------ normalization (as search_text.py) */

  var SMALL = "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿヂヅ"
  var LARGE = "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロジズ"
  var VOWEL_COLUMNS = {
    "ア": "アカガサザタダナハバパマヤラワ",
    "イ": "イキギシジチニヒビピミリ",
    "ウ": "ウクグスズツヌフブプムユルヴ",
    "エ": "エケゲセゼテデネヘベペメレ",
    "オ": "オコゴソゾトドノホボポモヨロ"
  }
  var LENGTHENED_BY = { "ア": "ア", "イ": "イエ", "ウ": "ウオ", "エ": "エ", "オ": "オ" }
  var LONG_VOWEL = new RegExp("ー|" + Object.keys(LENGTHENED_BY).map(function (vowel) {
    var after = LENGTHENED_BY[vowel].split("").map(function (v) { return VOWEL_COLUMNS[v] }).join("")
    return "(?<=[" + after + "])" + vowel
  }).join("|"), "gu")
  var ITERATION = /(.)([々ヽヾ])/gu

  /* One character folded: hiragana to katakana, small kana to large, ヂヅ to ジズ; "" for ・ */
  function foldChar(char) {
    var code = char.charCodeAt(0)
    if (char === "\u30fb") return ""
    if (char === "ゝ") return "ヽ"
    if (char === "ゞ") return "ヾ"
    if (code >= 0x3041 && code <= 0x3096) char = String.fromCharCode(code + 0x60)
    var at = SMALL.indexOf(char)
    return at === -1 ? char : LARGE[at]
  }

  function spellOut(before, mark) {
    return before + (mark === "ヾ" ? (before + "\u3099").normalize("NFC") : before)
  }

  /* Steps 2 to 4 of the normalization, on text already NFKC and lowercase */
  function foldKana(text) {
    var folded = ""
    for (var char of text) folded += char.length === 1 ? foldChar(char) : char
    if (/[々ヽヾ]/.test(folded)) folded = folded.replace(ITERATION, function (_, before, mark) { return spellOut(before, mark) })
    return folded.replace(LONG_VOWEL, "")
  }

  /* NFKC, lowercase, kana folded, iteration marks spelled out, long vowels dropped */
  function normalize(text) {
    return foldKana(text.normalize("NFKC").toLowerCase())
  }

  /* The normalized text with, for each of its characters, the [start, end) it comes from in `original` */
  function normalizedWithOrigins(original) {
    /* NFKC piece by piece (a character and the marks combining with it), then the kana folds */
    var chars = []
    var i = 0
    while (i < original.length) {
      var j = i + (original.codePointAt(i) > 0xffff ? 2 : 1)
      while (j < original.length && /[\u0300-\u036f\u3099\u309a\uff9e\uff9f]/.test(original[j])) j++
      var piece = original.slice(i, j).normalize("NFKC").toLowerCase()
      for (var char of piece) {
        var folded = char.length === 1 ? foldChar(char) : char
        if (folded) chars.push({ c: folded, start: i, end: j })
      }
      i = j
    }
    var spelled = []
    for (var k = 0; k < chars.length; k++) {
      var next = chars[k + 1]
      if (next && /[々ヽヾ]/.test(next.c) && !/[\n]/.test(chars[k].c)) {
        spelled.push(chars[k], { c: spellOut(chars[k].c, next.c).slice(chars[k].c.length), start: next.start, end: next.end })
        k++
      } else {
        spelled.push(chars[k])
      }
    }
    var joined = spelled.map(function (item) { return item.c }).join("")
    var dropped = new Set()
    var match
    LONG_VOWEL.lastIndex = 0
    /* every item is one UTF-16 unit but for astral characters, which are never dropped */
    var unitToItem = []
    spelled.forEach(function (item, n) { for (var u = 0; u < item.c.length; u++) unitToItem.push(n) })
    while ((match = LONG_VOWEL.exec(joined)) !== null) dropped.add(unitToItem[match.index])
    var text = ""
    var starts = []
    var ends = []
    spelled.forEach(function (item, n) {
      if (dropped.has(n)) return
      for (var u = 0; u < item.c.length; u++) { text += item.c[u]; starts.push(item.start); ends.push(item.end) }
    })
    return { text: text, starts: starts, ends: ends }
  }

  /* ------------------------------------------------------------ segmentation (as search_text.py) */

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

  /* ------------------------------------------------------------ romaji (queries only) */

  /* Hepburn, Kunrei-shiki and the spellings Japanese input methods accept, to hiragana */
  var ROMAJI = {}
  ;(function () {
    var rows = {
      "": "あいうえお", "k": "かきくけこ", "s": "さしすせそ", "t": "たちつてと", "n": "なにぬねの", "h": "はひふへほ",
      "m": "まみむめも", "y": "や い ゆ いぇ よ", "r": "らりるれろ", "l": "らりるれろ", "w": "わ うぃ う うぇ を",
      "g": "がぎぐげご", "z": "ざじずぜぞ", "d": "だぢづでど", "b": "ばびぶべぼ", "p": "ぱぴぷぺぽ",
      "f": "ふぁ ふぃ ふ ふぇ ふぉ", "v": "ゔぁ ゔぃ ゔ ゔぇ ゔぉ", "j": "じゃ じ じゅ じぇ じょ", "q": "くぁ くぃ く くぇ くぉ",
      "sh": "しゃ し しゅ しぇ しょ", "ch": "ちゃ ち ちゅ ちぇ ちょ", "ts": "つぁ つぃ つ つぇ つぉ",
      "ky": "きゃ きぃ きゅ きぇ きょ", "sy": "しゃ しぃ しゅ しぇ しょ", "ty": "ちゃ ちぃ ちゅ ちぇ ちょ", "cy": "ちゃ ちぃ ちゅ ちぇ ちょ",
      "ny": "にゃ にぃ にゅ にぇ にょ", "hy": "ひゃ ひぃ ひゅ ひぇ ひょ", "my": "みゃ みぃ みゅ みぇ みょ",
      "ry": "りゃ りぃ りゅ りぇ りょ", "ly": "りゃ りぃ りゅ りぇ りょ", "gy": "ぎゃ ぎぃ ぎゅ ぎぇ ぎょ",
      "zy": "じゃ じぃ じゅ じぇ じょ", "jy": "じゃ じぃ じゅ じぇ じょ", "dy": "ぢゃ ぢぃ ぢゅ ぢぇ ぢょ",
      "by": "びゃ びぃ びゅ びぇ びょ", "py": "ぴゃ ぴぃ ぴゅ ぴぇ ぴょ", "fy": "ふゃ ふぃ ふゅ ふぇ ふょ",
      "th": "てゃ てぃ てゅ てぇ てょ", "dh": "でゃ でぃ でゅ でぇ でょ", "wh": "うぁ うぃ う うぇ うぉ",
      "x": "ぁぃぅぇぉ", "xy": "ゃ ぃ ゅ ぇ ょ", "c": "かしくせこ"
    }
    Object.keys(rows).forEach(function (consonant) {
      var kana = rows[consonant].indexOf(" ") === -1 ? rows[consonant].split("") : rows[consonant].split(" ")
      "aiueo".split("").forEach(function (vowel, i) { ROMAJI[consonant + vowel] = kana[i] })
    })
    ROMAJI.shi = "し"; ROMAJI.chi = "ち"; ROMAJI.tsu = "つ"; ROMAJI.fu = "ふ"; ROMAJI.ji = "じ"
    ROMAJI.nn = "ん"; ROMAJI["n'"] = "ん"; ROMAJI.xtu = "っ"; ROMAJI.ltu = "っ"; ROMAJI.xtsu = "っ"
    ROMAJI.la = "ら"; ROMAJI.li = "り"; ROMAJI.lu = "る"; ROMAJI.le = "れ"; ROMAJI.lo = "ろ"
    ROMAJI.thi = "てぃ"; ROMAJI.dhi = "でぃ"; ROMAJI.twu = "とぅ"; ROMAJI.dwu = "どぅ"
    ROMAJI.tu = "つ"; ROMAJI.ti = "ち"; ROMAJI.di = "ぢ"; ROMAJI.du = "づ"
  })()
  var LONG_MARKS = { "ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou", "â": "aa", "î": "ii", "û": "uu", "ê": "ee", "ô": "ou" }
  var STRAY_VOWEL = { t: "お", d: "お" }
  var MAX_STRAY = 1

  /* A Latin word read as romaji, in hiragana; null when it does not read as Japanese (letters
     outside a syllable more than once, or any character that is not a letter) */
  function romajiToKana(word) {
    var read = romaji(word)
    return read && read.kana
  }

  /* The same with the number of letters read outside a syllable and the loanword spelling of ti
     and di (ティ, ディ where an input method gives ち, ぢ): { kana, loan, strays } or null */
  function romaji(word) {
    var text = word.toLowerCase().replace(/[āīūēōâîûêô]/g, function (c) { return LONG_MARKS[c] })
    if (!/^[a-z'-]+$/.test(text) || !/[aiueo]/.test(text)) return null
    var kana = ""
    var strays = 0
    var i = 0
    while (i < text.length) {
      var c = text[i]
      if (c === "-") { kana += "ー"; i++; continue }
      if (c === "n" && (i + 1 === text.length || !/[aiueoy']/.test(text[i + 1]))) {
        kana += "ん"; i += text[i + 1] === "n" && !/[aiueoy]/.test(text[i + 2] || "") ? 2 : 1; continue
      }
      if (c === "m" && /[bmp]/.test(text[i + 1] || "")) { kana += "ん"; i++; continue }
      if (c !== "n" && c === text[i + 1] && /[bcdfghjklmpqrstvwxyz]/.test(c)) { kana += "っ"; i++; continue }
      if (c === "t" && text.slice(i, i + 3) === "tch") { kana += "っ"; i++; continue }
      var matched = false
      for (var length = 4; length >= 1; length--) {
        var syllable = text.slice(i, i + length)
        if (ROMAJI[syllable]) { kana += ROMAJI[syllable]; i += length; matched = true; break }
      }
      if (matched) continue
      if (c === "'") { i++; continue }
      /* a consonant with no vowel: a loanword spelling (purompto, sukurum); read with u, or o after t, d */
      strays++
      var withVowel = ROMAJI[c + (STRAY_VOWEL[c] ? "o" : "u")]
      if (!withVowel || strays > MAX_STRAY) return null
      kana += withVowel
      i++
    }
    return { kana: kana, loan: kana.replace(/ち(?![ゃゅょぇ])/g, "てぃ").replace(/ぢ(?![ゃゅょぇ])/g, "でぃ"), strays: strays }
  }

  /* ------------------------------------------------------------ questions and phrases (queries only) */

  var HIRAGANA = "\u3041-\u3096"
  var QUESTION_ENDINGS = [
    "[?？!！。．、,，]+",
    "(について|に関して|については|を|は)?(どう|どの(よう|様)に)(思|考|見|言|感|捉)[" + HIRAGANA + "]*",
    "(について|に関して|を|は)?(教えて|知りたい|説明して|解説して)(ください|下さい|ほしい|欲しい)?",
    "(とは|って|は)(何|なに|なん)(ですか|でしょうか|だろう|なの|か)?",
    "(とは|って)(どういう|どんな)(こと|意味|もの)?(ですか|でしょうか|なの|か)?",
    "(の)?(意味|定義)(は|って|とは)?(何|なに|なん)?(ですか|でしょうか|か)?",
    "(が|は)?(誰|だれ|いつ|どこ|どれ)(ですか|でしょうか|なの|か)?",
    "(ですか|でしょうか|ますか|のか|なのか)",
    "(とは|って)"
  ].map(function (source) { return new RegExp("(?<=.)" + source + "$", "u") })
  var QUESTION_WORDS = /[はがをも]?(いつ|どこ|誰|だれ)[にでからまはがを]*/gu
  var QUESTION_STARTS = /^(なぜ|なんで|どうして|何故|どうやって|どんな|どの|誰が|いつ)/u
  var PARTICLES = new RegExp("(?<=[^" + HIRAGANA + "\\s])(について|に関して|による|とは|って|から|まで|より|では|には|が|を|は|に|で|と|も|の|へ|や)(?=[^" + HIRAGANA + "\\s])", "gu")
  var ENGLISH_QUESTION = /^(what|why|how|who|whom|when|where|which|does|do|did|is|are|was|can|could|should|tell|explain)\b/
  var ENGLISH_FUNCTION_WORDS = new Set(("what why how who whom when where which does do did is are was were can could should " +
    "the a an about on to tell me explain think thinks say says said mean means meaning his he s").split(" "))

  /* The words of a query, its question wording dropped: endings (とは何ですか, についてどう思っている,
     教えて), leading question words, and, in a question, the particles between its topic words
     (カルパシーは強化学習をどう思う → カルパシー 強化学習); English question words likewise */
  function understand(query) {
    var text = query.normalize("NFKC").trim()
    var question = false
    var stripped = true
    while (stripped) {
      stripped = false
      for (var i = 0; i < QUESTION_ENDINGS.length; i++) {
        var shorter = text.replace(QUESTION_ENDINGS[i], "").trim()
        if (shorter !== text && shorter) { text = shorter; question = stripped = true; break }
      }
    }
    if (question && /[^の]の$/.test(text)) text = text.slice(0, -1)
    var start = text.replace(QUESTION_STARTS, "").trim()
    if (start !== text && start) { text = start; question = true }
    if (question) text = text.replace(QUESTION_WORDS, " $1 ").replace(PARTICLES, " ")
    var words = text.split(/\s+/).filter(Boolean)
    var lower = words.map(function (word) { return word.toLowerCase() })
    if (ENGLISH_QUESTION.test(lower.join(" ")) || (question && /[a-z]/.test(lower.join(" ")))) {
      var kept = words.filter(function (word, n) { return !ENGLISH_FUNCTION_WORDS.has(lower[n].replace(/'s$/, "")) })
      if (kept.length) { words = kept.map(function (word) { return word.replace(/'s$/i, "") }); question = true }
    }
    return { words: words, question: question }
  }

  var CONTENT_PIECE = new RegExp("[" + KANJI_CLASS + "]+|[\u30a1-\u30fa\u30fc\u31f0-\u31ff]+|[" + WORD_CLASS + "]+|[" + HIRAGANA + "ー]+", "gu")

  /* The content words of a remembered phrase (NFKC text, before folding): its kanji runs (a verb or
     adjective by its kanji, 吸う → 吸), katakana runs and Latin words; hiragana only when there is
     nothing else (then the whole). ストローで吸う → [ストロー, 吸] */
  function contentWords(text) {
    var pieces = (text.normalize("NFKC").toLowerCase().match(CONTENT_PIECE) || [])
    var content = pieces.filter(function (piece) { return !new RegExp("^[" + HIRAGANA + "ー]+$", "u").test(piece) })
    return content.length ? content : (pieces.length ? [pieces.join("")] : [])
  }

  /* ------------------------------------------------------------ spelling */

  /* Levenshtein distance between two strings (of code units), or more than `limit` (limit + 1) */
  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1
    var previous = []
    for (var j = 0; j <= b.length; j++) previous.push(j)
    for (var i = 1; i <= a.length; i++) {
      var current = [i]
      var best = i
      for (var k = 1; k <= b.length; k++) {
        var value = Math.min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + (a[i - 1] === b[k - 1] ? 0 : 1))
        current.push(value)
        if (value < best) best = value
      }
      if (best > limit) return limit + 1
      previous = current
    }
    return previous[b.length]
  }

  scope.KBSearchText = {
    PREFIX_LENGTH: PREFIX_LENGTH,
    normalize: normalize,
    normalizedWithOrigins: normalizedWithOrigins,
    runs: runs,
    runTokens: runTokens,
    tokens: tokens,
    exactToken: exactToken,
    isWord: isWord,
    isKanji: isKanji,
    shardKey: shardKey,
    fnv1a: fnv1a,
    shardOf: shardOf,
    romajiToKana: romajiToKana,
    romaji: romaji,
    understand: understand,
    contentWords: contentWords,
    editDistance: editDistance
  }
})(self)
