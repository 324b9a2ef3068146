/// Compact S-expression rendering of the AST, for tests and debugging.
///
///     parseProgram("a = b + 1 * c;").dump   →   (= a (+ b (* 1 c)))
///
/// Top-level statements are separated by a space. Missing optional parts print as `_`.
public enum ASTDump {
    public static func dump(_ program: Program) -> String {
        program.body.map(dump).joined(separator: " ")
    }

    public static func dump(_ s: Statement) -> String {
        switch s.kind {
        case .variableDeclaration(let d): return declaration(d)
        case .functionDeclaration(let f): return function(f)
        case .expression(let e): return dump(e)
        case .block(let body): return list("block", body.map(dump))
        case .empty: return "(empty)"
        case .if(let test, let then, let otherwise):
            return list("if", [dump(test), dump(then)] + (otherwise.map { [dump($0)] } ?? []))
        case .for(let initializer, let test, let update, let body):
            let i: String
            switch initializer {
            case .none: i = "_"
            case .declaration(let d): i = declaration(d)
            case .expression(let e): i = dump(e)
            }
            return list("for", [i, test.map(dump) ?? "_", update.map(dump) ?? "_", dump(body)])
        case .forIn(let b, let e, let body): return list("for-in", [binding(b), dump(e), dump(body)])
        case .forOf(let b, let e, let body): return list("for-of", [binding(b), dump(e), dump(body)])
        case .while(let test, let body): return list("while", [dump(test), dump(body)])
        case .doWhile(let body, let test): return list("do", [dump(body), dump(test)])
        case .return(let e): return list("return", e.map { [dump($0)] } ?? [])
        case .break(let l): return list("break", l.map { [$0] } ?? [])
        case .continue(let l): return list("continue", l.map { [$0] } ?? [])
        case .throw(let e): return list("throw", [dump(e)])
        case .try(let block, let handler, let finalizer):
            var parts = [list("block", block.map(dump))]
            if let h = handler { parts.append(list("catch", [h.param ?? "_"] + h.body.map(dump))) }
            if let f = finalizer { parts.append(list("finally", f.map(dump))) }
            return list("try", parts)
        case .switch(let d, let cases):
            return list("switch", [dump(d)] + cases.map { c in
                c.test.map { list("case", [dump($0)] + c.body.map(dump)) } ?? list("default", c.body.map(dump))
            })
        case .labeled(let l, let body): return list("label", [l, dump(body)])
        case .debugger: return "(debugger)"
        }
    }

    public static func dump(_ e: Expression) -> String {
        switch e.kind {
        case .identifier(let n): return n
        case .number(let v): return javaScriptNumberString(v)
        case .string(let s): return quote(s)
        case .stringUnits(let u): return "(units " + u.map { String($0, radix: 16) }.joined(separator: " ") + ")"
        case .template(let cooked, let exprs):
            var parts: [String] = []
            for (i, c) in cooked.enumerated() {
                parts.append(quote(c))
                if i < exprs.count { parts.append(dump(exprs[i])) }
            }
            return list("template", parts)
        case .boolean(let b): return b ? "true" : "false"
        case .null: return "null"
        case .this: return "this"
        case .array(let elements):
            return list("array", elements.map { el in
                switch el {
                case .hole: "hole"
                case .expression(let x): dump(x)
                case .spread(let x): list("...", [dump(x)])
                }
            })
        case .object(let props): return list("object", props.map(property))
        case .function(let f): return function(f)
        case .unary(let op, let x): return list(op.rawValue, [dump(x)])
        case .update(let op, let isPrefix, let x):
            return list(isPrefix ? "\(op.rawValue)pre" : "post\(op.rawValue)", [dump(x)])
        case .binary(let op, let a, let b): return list(op.rawValue, [dump(a), dump(b)])
        case .logical(let op, let a, let b): return list(op.rawValue, [dump(a), dump(b)])
        case .assignment(let op, let t, let v): return list(op.rawValue, [dump(t), dump(v)])
        case .conditional(let t, let a, let b): return list("?", [dump(t), dump(a), dump(b)])
        case .call(let callee, let args): return list("call", [dump(callee)] + args.map(argument))
        case .new(let callee, let args): return list("new", [dump(callee)] + args.map(argument))
        case .member(let o, let name): return list(".", [dump(o), name])
        case .index(let o, let k): return list("[]", [dump(o), dump(k)])
        case .sequence(let items): return list(",", items.map(dump))
        }
    }

    static func list(_ head: String, _ items: [String]) -> String {
        items.isEmpty ? "(\(head))" : "(\(head) \(items.joined(separator: " ")))"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) {
                    out += "\\u{\(String(u.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    static func declaration(_ d: VariableDeclaration) -> String {
        list(d.kind.rawValue, d.declarators.map { x in
            x.initializer.map { "(\(x.name) \(dump($0)))" } ?? x.name
        })
    }

    static func binding(_ b: ForBinding) -> String {
        switch b {
        case .declaration(let k, let name, _): "(\(k.rawValue) \(name))"
        case .target(let e): dump(e)
        }
    }

    static func argument(_ a: Argument) -> String {
        switch a {
        case .expression(let x): dump(x)
        case .spread(let x): list("...", [dump(x)])
        }
    }

    static func key(_ k: PropertyKey) -> String {
        switch k {
        case .name(let n): quote(n)
        case .computed(let e): "[\(dump(e))]"
        }
    }

    static func property(_ p: Property) -> String {
        if p.isShorthand { return list("shorthand", [key(p.key)]) }
        switch p.kind {
        case .getter: return list("get", [key(p.key), dump(p.value)])
        case .setter: return list("set", [key(p.key), dump(p.value)])
        case .initializer: return list(p.isMethod ? "method" : "prop", [key(p.key), dump(p.value)])
        }
    }

    static func function(_ f: FunctionNode) -> String {
        let params = "(" + f.params.map { p in
            (p.isRest ? "..." : "") + p.name + (p.defaultValue.map { "=" + dump($0) } ?? "")
        }.joined(separator: " ") + ")"
        var head: String
        switch f.kind {
        case .normal: head = "function"
        case .arrow: head = "arrow"
        case .method: head = "method-fn"
        case .getter: head = "getter-fn"
        case .setter: head = "setter-fn"
        }
        if f.isStrict { head += "!" }  // strict marker
        var items: [String] = []
        if let n = f.name, f.kind == .normal { items.append(n) }
        items.append(params)
        if f.hasExpressionBody, case .return(let e?)? = f.body.first?.kind {
            items.append(dump(e))
        } else {
            items += f.body.map(dump)
        }
        return list(head, items)
    }
}

extension Program {
    /// `ASTDump.dump(self)`.
    public var dump: String { ASTDump.dump(self) }
}
