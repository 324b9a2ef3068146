/// JavaScript `Number::toString(x)` (radix 10): shortest round-trip digits,
/// formatted per ECMA-262 (e.g. `1e21` → "1e+21", `0.000001` → "0.000001",
/// `1e-7` → "1e-7", `-0` → "0"). Used to canonicalize numeric property keys;
/// public so later stages can share the exact algorithm.
public func javaScriptNumberString(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value == 0 { return "0" }
    if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
    if value < 0 { return "-" + javaScriptNumberString(-value) }
    let (digits, n) = shortestDigits(value)
    let k = digits.count
    if k <= n && n <= 21 {
        return String(digits) + String(repeating: "0", count: n - k)
    }
    if 0 < n && n <= 21 {
        return String(digits[0..<n]) + "." + String(digits[n...])
    }
    if -6 < n && n <= 0 {
        return "0." + String(repeating: "0", count: -n) + String(digits)
    }
    let e = n - 1
    let exp = e < 0 ? "-\(-e)" : "+\(e)"
    if k == 1 { return "\(digits[0])e\(exp)" }
    return "\(digits[0])." + String(digits[1...]) + "e\(exp)"
}

/// Shortest decimal digits `d1…dk` (no leading/trailing zeros) and exponent `n` with
/// value = 0.d1…dk × 10^n, taken from Swift's shortest round-trip `description`.
private func shortestDigits(_ value: Double) -> ([Character], Int) {
    let text = value.description  // e.g. "123.456", "1e-07", "1.2345e+20"
    var mantissa = Substring(text)
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = text[..<e]
        exponent = Int(text[text.index(after: e)...]) ?? 0
    }
    var intPart = mantissa
    var fracPart: Substring = ""
    if let dot = mantissa.firstIndex(of: ".") {
        intPart = mantissa[..<dot]
        fracPart = mantissa[mantissa.index(after: dot)...]
    }
    var digits = Array(intPart) + Array(fracPart)
    var point = intPart.count
    var lead = 0
    while lead < digits.count && digits[lead] == "0" { lead += 1 }
    digits.removeFirst(lead)
    point -= lead
    while let last = digits.last, last == "0" { digits.removeLast() }
    if digits.isEmpty { return (["0"], 1) }
    return (digits, point + exponent)
}
