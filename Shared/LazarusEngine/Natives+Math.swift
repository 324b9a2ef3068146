import Foundation
#if canImport(Glibc)
import Glibc
#endif

#if canImport(Glibc)
@inline(__always) private func libm_acos(_ x: Double) -> Double { Glibc.acos(x) }
@inline(__always) private func libm_acosh(_ x: Double) -> Double { Glibc.acosh(x) }
@inline(__always) private func libm_asin(_ x: Double) -> Double { Glibc.asin(x) }
@inline(__always) private func libm_asinh(_ x: Double) -> Double { Glibc.asinh(x) }
@inline(__always) private func libm_atan(_ x: Double) -> Double { Glibc.atan(x) }
@inline(__always) private func libm_atanh(_ x: Double) -> Double { Glibc.atanh(x) }
@inline(__always) private func libm_cbrt(_ x: Double) -> Double { Glibc.cbrt(x) }
@inline(__always) private func libm_cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) private func libm_cosh(_ x: Double) -> Double { Glibc.cosh(x) }
@inline(__always) private func libm_exp(_ x: Double) -> Double { Glibc.exp(x) }
@inline(__always) private func libm_expm1(_ x: Double) -> Double { Glibc.expm1(x) }
@inline(__always) private func libm_log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func libm_log10(_ x: Double) -> Double { Glibc.log10(x) }
@inline(__always) private func libm_log1p(_ x: Double) -> Double { Glibc.log1p(x) }
@inline(__always) private func libm_log2(_ x: Double) -> Double { Glibc.log2(x) }
@inline(__always) private func libm_sin(_ x: Double) -> Double { Glibc.sin(x) }
@inline(__always) private func libm_sinh(_ x: Double) -> Double { Glibc.sinh(x) }
@inline(__always) private func libm_tan(_ x: Double) -> Double { Glibc.tan(x) }
@inline(__always) private func libm_tanh(_ x: Double) -> Double { Glibc.tanh(x) }
@inline(__always) private func libm_atan2(_ x: Double, _ y: Double) -> Double { Glibc.atan2(x, y) }
@inline(__always) private func libm_pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
@inline(__always) private func libm_acos(_ x: Double) -> Double { Foundation.acos(x) }
@inline(__always) private func libm_acosh(_ x: Double) -> Double { Foundation.acosh(x) }
@inline(__always) private func libm_asin(_ x: Double) -> Double { Foundation.asin(x) }
@inline(__always) private func libm_asinh(_ x: Double) -> Double { Foundation.asinh(x) }
@inline(__always) private func libm_atan(_ x: Double) -> Double { Foundation.atan(x) }
@inline(__always) private func libm_atanh(_ x: Double) -> Double { Foundation.atanh(x) }
@inline(__always) private func libm_cbrt(_ x: Double) -> Double { Foundation.cbrt(x) }
@inline(__always) private func libm_cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) private func libm_cosh(_ x: Double) -> Double { Foundation.cosh(x) }
@inline(__always) private func libm_exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) private func libm_expm1(_ x: Double) -> Double { Foundation.expm1(x) }
@inline(__always) private func libm_log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func libm_log10(_ x: Double) -> Double { Foundation.log10(x) }
@inline(__always) private func libm_log1p(_ x: Double) -> Double { Foundation.log1p(x) }
@inline(__always) private func libm_log2(_ x: Double) -> Double { Foundation.log2(x) }
@inline(__always) private func libm_sin(_ x: Double) -> Double { Foundation.sin(x) }
@inline(__always) private func libm_sinh(_ x: Double) -> Double { Foundation.sinh(x) }
@inline(__always) private func libm_tan(_ x: Double) -> Double { Foundation.tan(x) }
@inline(__always) private func libm_tanh(_ x: Double) -> Double { Foundation.tanh(x) }
@inline(__always) private func libm_atan2(_ x: Double, _ y: Double) -> Double { Foundation.atan2(x, y) }
@inline(__always) private func libm_pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
#endif

// MARK: - Math (builtins library). Constants are defined by the prelude (Prelude+Objects.swift).
// Math.random draws from the VM's `prngState` (xorshift64*), which is part of the snapshot,
// so a restored VM continues the same sequence.

extension Natives {
    static func math1(_ name: String, _ f: @escaping (Double) -> Double) -> NativeEntry {
        NativeEntry("Math." + name, length: 1) { vm, this, args in
            if vm.anyObject(args, 1) { return vm.recall(args, this, "n-") }
            return .value(.number(f(vm.toNumberPrimitive(args[0]))))
        }
    }

    static func math2(_ name: String, _ f: @escaping (Double, Double) -> Double) -> NativeEntry {
        NativeEntry("Math." + name, length: 2) { vm, this, args in
            if vm.anyObject(args, 2) { return vm.recall(args, this, "nn-") }
            return .value(.number(f(vm.toNumberPrimitive(args[0]), vm.toNumberPrimitive(args[1]))))
        }
    }

    /// Number::exponentiate (differs from C pow for ±1 ** ±Infinity and 1 ** NaN).
    static func jsPow(_ b: Double, _ e: Double) -> Double {
        if e.isNaN { return .nan }
        if e == 0 { return 1 }
        if (b == 1 || b == -1) && e.isInfinite { return .nan }
        return libm_pow(b, e)
    }

    static func jsRound(_ x: Double) -> Double {
        if !x.isFinite || x == 0 { return x }
        if x > 0 && x < 0.5 { return 0 }
        if x < 0 && x >= -0.5 { return -0.0 }
        let r = x.rounded(.down)
        return x - r >= 0.5 ? r + 1 : r
    }

    static var mathNatives: [NativeEntry] {
        [
            math1("abs") { abs($0) },
            math1("acos") { libm_acos($0) },
            math1("acosh") { libm_acosh($0) },
            math1("asin") { libm_asin($0) },
            math1("asinh") { $0 == 0 ? $0 : libm_asinh($0) },
            math1("atan") { libm_atan($0) },
            math1("atanh") { libm_atanh($0) },
            math2("atan2") { libm_atan2($0, $1) },
            math1("cbrt") { x in
                // glibc cbrt is not correctly rounded (cbrt(27) = 3.0000000000000004): one Newton step.
                let r = libm_cbrt(x)
                if !r.isFinite || r == 0 { return r }
                let c = r - (r * r * r - x) / (3 * r * r)
                return c * c * c == x ? c : r
            },
            math1("ceil") { $0.rounded(.up) },
            math1("clz32") { Double(NumberFormatting.toUint32($0).leadingZeroBitCount) },
            math1("cos") { libm_cos($0) },
            math1("cosh") { libm_cosh($0) },
            math1("exp") { libm_exp($0) },
            math1("expm1") { libm_expm1($0) },
            math1("floor") { $0.rounded(.down) },
            math1("fround") { Double(Float($0)) },
            math1("log") { libm_log($0) },
            math1("log1p") { libm_log1p($0) },
            math1("log10") { libm_log10($0) },
            math1("log2") { libm_log2($0) },
            math1("round") { jsRound($0) },
            math1("sign") { $0.isNaN || $0 == 0 ? $0 : ($0 > 0 ? 1 : -1) },
            math1("sin") { libm_sin($0) },
            math1("sinh") { libm_sinh($0) },
            math1("sqrt") { $0.squareRoot() },
            math1("tan") { libm_tan($0) },
            math1("tanh") { libm_tanh($0) },
            math1("trunc") { $0.rounded(.towardZero) },
            math2("pow") { jsPow($0, $1) },
            math2("imul") { Double(NumberFormatting.toInt32($0) &* NumberFormatting.toInt32($1)) },
            NativeEntry("Math.hypot", length: 2) { vm, this, args in
                if vm.anyObject(args) { return vm.recall(args, this, "n") }
                var inf = false, nan = false
                var vals: [Double] = []
                for i in 0..<args.count {
                    let d = vm.toNumberPrimitive(args[i])
                    if d.isInfinite { inf = true } else if d.isNaN { nan = true } else { vals.append(abs(d)) }
                }
                if inf { return .value(.number(.infinity)) }
                if nan { return .value(.number(.nan)) }
                let m = vals.max() ?? 0
                if m == 0 { return .value(.number(0)) }
                var sum = 0.0, comp = 0.0
                for v in vals { let t = (v / m) * (v / m) - comp; let s2 = sum + t; comp = (s2 - sum) - t; sum = s2 }
                return .value(.number(sum.squareRoot() * m))
            },
            NativeEntry("Math.min", length: 2) { vm, this, args in
                if vm.anyObject(args) { return vm.recall(args, this, "n") }
                var r = Double.infinity
                for i in 0..<args.count {
                    let d = vm.toNumberPrimitive(args[i])
                    if d.isNaN { r = .nan } else if !r.isNaN, d < r || (d == 0 && r == 0 && d.sign == .minus) { r = d }
                }
                return .value(.number(r))
            },
            NativeEntry("Math.max", length: 2) { vm, this, args in
                if vm.anyObject(args) { return vm.recall(args, this, "n") }
                var r = -Double.infinity
                for i in 0..<args.count {
                    let d = vm.toNumberPrimitive(args[i])
                    if d.isNaN { r = .nan } else if !r.isNaN, d > r || (d == 0 && r == 0 && r.sign == .minus) { r = d }
                }
                return .value(.number(r))
            },
            NativeEntry("Math.random") { vm, _, _ in .value(.number(vm.nextRandom())) },
        ]
    }
}
