import Testing
import LazarusEngine

@Suite("Builtins: String")
struct BuiltinsStringTests {
    static let cases: [BuiltinCase] = [
        // constructor and conversion
        BuiltinCase("console.log(String(12), String(null), String(), String(true), typeof new String('a'), new String('ab').length);", "12 null  true object 2"),
        BuiltinCase("console.log(String({toString: function () { return 'T'; }}), String([1, 2]), String(-0), String(1e21));", "T 1,2 0 1e+21"),
        BuiltinCase("console.log(String.fromCharCode(72, 105, 0x10041), String.fromCharCode(), String.fromCharCode({valueOf: function () { return 65; }}));", "HiA  A"),
        BuiltinCase("console.log(String.fromCodePoint(0x1F600).length, String.fromCodePoint(97, 98)); try { String.fromCodePoint(-1); } catch (e) { console.log(e.name); }", "2 ab\nRangeError"),
        // indexing and length
        BuiltinCase("var s = 'héllo'; console.log(s.length, s[1], s[9], s.charAt(4), s.charAt(-1) === '', s.charCodeAt(1), isNaN(s.charCodeAt(5)));", "5 é undefined o true 233 true"),
        BuiltinCase("var s = 'a\\uD83D\\uDE00'; console.log(s.length, s.codePointAt(1), s.codePointAt(2), s.codePointAt(3), s.at(-1) === s[2]);", "3 128512 56832 undefined true"),
        // searching
        BuiltinCase("var s = 'abcabc'; console.log(s.indexOf('c'), s.indexOf('c', 3), s.indexOf(''), s.indexOf('', 99), s.indexOf('x'), s.lastIndexOf('a'), s.lastIndexOf('a', 2), s.lastIndexOf(''), s.lastIndexOf('c', -5));", "2 5 0 6 -1 3 0 6 -1"),
        BuiltinCase("console.log('abc'.includes('bc'), 'abc'.includes('a', 1), 'abc'.startsWith('ab'), 'abc'.startsWith('c', 2), 'abc'.endsWith('b', 2), 'abc'.endsWith('abcd'));", "true false true true true false"),
        BuiltinCase("console.log('a1b'.indexOf(1), 'null'.indexOf(null), 'undefined'.indexOf(), 'abc'.indexOf('c', {valueOf: function () { return 1; }}));", "1 0 0 2"),
        // extraction
        BuiltinCase("var s = 'abcdef'; console.log(s.slice(1, 3), s.slice(-2), s.slice(4, 1) === '', s.substring(4, 1), s.substring(-3, 2), s.substr(1, 2), s.substr(-3), s.substr(2, -1) === '');", "bc ef true bcd ab bc def true"),
        BuiltinCase("console.log('abc'.slice(NaN, Infinity), 'abc'.substring(1), 'abc'.substr(Infinity) === '');", "abc bc true"),
        // split
        BuiltinCase("console.log('a,b,,c'.split(',').length, 'abc'.split('').join('|'), 'abc'.split().length, 'a-b-c'.split('-', 2).join(), ''.split(',').length, ''.split('').length);", "4 a|b|c 1 a,b 1 0"),
        BuiltinCase("console.log('a--b--'.split('--').length, 'ab'.split('ab').length, 'x'.split('x', 0).length, 'a1b1c'.split(1).join());", "3 2 0 a,b,c"),
        // case, trim
        BuiltinCase("console.log('Hello ÄÖ ß'.toUpperCase(), 'Hello ÄÖ'.toLowerCase(), 'İ'.toLowerCase().length, 'ΑΣ'.toLowerCase());", "HELLO ÄÖ SS hello äö 2 ας"),
        BuiltinCase("console.log('[' + '  a b \\n\\t'.trim() + ']', '[' + '  x '.trimStart() + ']', '[' + ' x  '.trimEnd() + ']', '\\u00A0\\uFEFFy\\u2029'.trim());", "[a b] [x ] [ x] y"),
        // padding, repeat, concat
        BuiltinCase("console.log('5'.padStart(3, '0'), 'ab'.padEnd(7, 'xyz'), 'abc'.padStart(2), '[' + 'a'.padStart(3) + ']', 'a'.padEnd(3, ''));", "005 abxyzxy abc [  a] a"),
        BuiltinCase("console.log('ab'.repeat(3), 'x'.repeat(0) === '', ''.repeat(1000000) === ''); try { 'a'.repeat(-1); } catch (e) { console.log(e.name); } try { 'a'.repeat(Infinity); } catch (e) { console.log(e.name); }", "ababab true true\nRangeError\nRangeError"),
        BuiltinCase("console.log('a'.concat('b', 1, null, [2, 3]), ''.concat());", "ab1null2,3 "),
        // comparison, normalize
        BuiltinCase("console.log('a'.localeCompare('b'), 'b'.localeCompare('a'), 'a'.localeCompare('a'), 'o\\u0308'.localeCompare('\\u00F6'));", "-1 1 0 0"),
        BuiltinCase("console.log('\\u1E9B\\u0323'.normalize('NFC') === '\\u1E9B\\u0323', 'o\\u0308'.normalize() === '\\u00F6', '\\u00F6'.normalize('NFD').length); try { 'a'.normalize('X'); } catch (e) { console.log(e.name); }", "true true 2\nRangeError"),
        // replace
        BuiltinCase("console.log('aXbXc'.replace('X', '-'), 'abc'.replace('b', '[$&|$`|$\\'|$$|$1]'), 'abc'.replace('z', 'y'), 'abc'.replace('', '_'));", "a-bXc a[b|a|c|$|$1]c abc _abc"),
        BuiltinCase("console.log('a-b-c'.replace('-', function (m, p, s) { return '(' + m + p + s + ')'; }), 'a-b-c'.replaceAll('-', '+'), 'ab'.replaceAll('', '.'), 'xx'.replaceAll('x', function (m, p) { return p; }));", "a(-1a-b-c)b-c a+b+c .a.b. 01"),
        // generic this, wrappers, errors
        BuiltinCase("console.log(String.prototype.toUpperCase.call(true), String.prototype.slice.call(12345, 1, 3), String.prototype.indexOf.call({toString: function () { return 'xyz'; }}, 'z'));", "TRUE 23 2"),
        BuiltinCase("try { String.prototype.trim.call(null); } catch (e) { console.log(e.name); } try { String.prototype.toString.call({}); } catch (e) { console.log(e.name); }", "TypeError\nTypeError"),
        BuiltinCase("var w = new String('abc'); console.log(w.valueOf() === 'abc', w.toString(), w.charAt(1), w.length, w[2], typeof w.valueOf());", "true abc b 3 c string"),
        BuiltinCase("console.log(String.raw({raw: ['x', 'y', 'z']}, 1), String.raw({raw: {length: 0}}) === '');", "x1yz true"),
        BuiltinCase("var o = {toString: function () { return 'ts'; }}; var w = new String(o); console.log(typeof w, w.length, w + '!', new String([1, 2]).valueOf());", "object 2 ts! 1,2"),
        BuiltinCase("var log = []; try { 'a,b'.split({toString: function () { log.push('sep'); throw 1; }}, {valueOf: function () { log.push('lim'); throw 2; }}); } catch (e) { log.push(e); } console.log(log.join());", "lim,2"),
        BuiltinCase("var m = 'a1b1'.match(1); console.log(m[0], m.index, m.input, m.length, 'abc'.match('x'), 'abc'.search('c'), ''.search(), new String('x y').search({toString: function () { return ' '; }}));", "1 1 a1b1 1 null 2 0 1"),
        // shapes
        BuiltinCase("console.log(String.prototype.slice.length, String.prototype.split.length, String.prototype.replace.length, String.prototype.padStart.length, String.fromCharCode.length, String.prototype.trim.name);", "2 2 2 1 1 trim"),
        // concatenation and indexing in loops
        BuiltinCase("var s = ''; for (var i = 0; i < 1000; i++) s += String.fromCharCode(97 + i % 26); var n = 0; for (var j = 0; j < s.length; j++) if (s[j] === 'z' || s.charCodeAt(j) === 121) n++; console.log(s.length, n);", "1000 76"),
    ]

    @Test(arguments: cases)
    func program(_ c: BuiltinCase) {
        #expect(builtinsOutput(c.source) == c.expected)
    }

    @Test(arguments: cases)
    func programWithTinySlices(_ c: BuiltinCase) {
        #expect(builtinsOutput(c.source, slice: 5) == c.expected)
    }

    @Test func hostCallInsideReplaceCallbackAndToString() {
        let src = """
        var r = 'a-b'.replace('-', function () { return now(); });
        var o = {toString: function () { checkpoint('ts'); return 'b'; }};
        console.log(r, 'abc'.indexOf(o), [o, o].join('+'), 'x'.concat(o));
        """
        #expect(builtinsOutput(src, slice: 4) == "a1000b 1 b+b xb")
    }
}
