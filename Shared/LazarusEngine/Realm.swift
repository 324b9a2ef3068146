// MARK: - Realm: the well-known objects of a VM

/// Well-known objects, kept in `VM.realm` (an array indexed by `rawValue`, so the
/// snapshot codec stores it as a list of object ids).
public enum Intrinsic: Int, CaseIterable, Sendable {
    case global
    case objectPrototype, functionPrototype, arrayPrototype
    case stringPrototype, numberPrototype, booleanPrototype
    case errorPrototype, typeErrorPrototype, rangeErrorPrototype, referenceErrorPrototype
    case syntaxErrorPrototype, evalErrorPrototype, uriErrorPrototype
    /// The hidden object handed to the prelude (`I`).
    case intrinsics
    // Prelude helpers (JS functions registered with `I.setHelper(name, f)`).
    /// `binary(op, a, b)`: an operator with an object operand (ToPrimitive in JS).
    case helperBinary
    /// `unary(op, v)`: `-o`, `+o`, `~o`, ToNumeric(o).
    case helperUnary
    /// `toString(v)`: String(v) for objects.
    case helperToString
    /// `toPropertyKey(v)` for object keys in `o[k]`.
    case helperToPropertyKey
    /// `getElem(o, k)` / `setElem(o, k, v)` / `hasProperty(k, o)` / `deleteElem(o,k)`: element ops with object keys.
    case helperGetElem, helperSetElem, helperIn, helperDeleteElem
    /// `callMain(main, args)` wrapper (optional).
    case helperReserved

    static func errorPrototype(named name: String) -> Intrinsic {
        switch name {
        case "TypeError": return .typeErrorPrototype
        case "RangeError": return .rangeErrorPrototype
        case "ReferenceError": return .referenceErrorPrototype
        case "SyntaxError": return .syntaxErrorPrototype
        case "EvalError": return .evalErrorPrototype
        case "URIError": return .uriErrorPrototype
        default: return .errorPrototype
        }
    }

    static let helperNames: [String: Intrinsic] = [
        "binary": .helperBinary, "unary": .helperUnary, "toString": .helperToString,
        "toPropertyKey": .helperToPropertyKey, "getElem": .helperGetElem, "setElem": .helperSetElem,
        "in": .helperIn, "deleteElem": .helperDeleteElem,
    ]
}

extension VM {
    /// Creates the fundamental objects, installs every native of the permanents table
    /// at its path, then runs the prelude.
    func createRealm() throws {
        realm = Array(repeating: .none, count: Intrinsic.allCases.count)
        let objectProto = heap.allocate(JSObject(cls: .ordinary, proto: .none))
        realm[Intrinsic.objectPrototype.rawValue] = objectProto
        var fp = JSObject(cls: .native, proto: objectProto)
        fp.code = UInt32(Natives.index["%noop"]!)
        realm[Intrinsic.functionPrototype.rawValue] = heap.allocate(fp)
        var ap = JSObject(cls: .array, proto: objectProto)
        ap.elements = []
        realm[Intrinsic.arrayPrototype.rawValue] = heap.allocate(ap)
        var sp = JSObject(cls: .stringWrapper, proto: objectProto)
        sp.slot0 = .string(heap.internPinned(""))
        realm[Intrinsic.stringPrototype.rawValue] = heap.allocate(sp)
        var np = JSObject(cls: .numberWrapper, proto: objectProto)
        np.slot0 = .number(0)
        realm[Intrinsic.numberPrototype.rawValue] = heap.allocate(np)
        var bp = JSObject(cls: .booleanWrapper, proto: objectProto)
        bp.slot0 = .bool(false)
        realm[Intrinsic.booleanPrototype.rawValue] = heap.allocate(bp)
        let errorProto = heap.allocate(JSObject(cls: .ordinary, proto: objectProto))
        realm[Intrinsic.errorPrototype.rawValue] = errorProto
        setHidden(errorProto, "name", .string(heap.internPinned("Error")))
        setHidden(errorProto, "message", .string(heap.internPinned("")))
        for (intr, name) in [(Intrinsic.typeErrorPrototype, "TypeError"), (.rangeErrorPrototype, "RangeError"),
                             (.referenceErrorPrototype, "ReferenceError"), (.syntaxErrorPrototype, "SyntaxError"),
                             (.evalErrorPrototype, "EvalError"), (.uriErrorPrototype, "URIError")] {
            let p = heap.allocate(JSObject(cls: .ordinary, proto: errorProto))
            realm[intr.rawValue] = p
            setHidden(p, "name", .string(heap.internPinned(name)))
            setHidden(p, "message", .string(heap.internPinned("")))
        }
        let global = heap.allocate(JSObject(cls: .ordinary, proto: objectProto))
        realm[Intrinsic.global.rawValue] = global
        realm[Intrinsic.intrinsics.rawValue] = heap.allocate(JSObject(cls: .ordinary, proto: .none))
        setHidden(global, "globalThis", .object(global))
        setHidden(global, "NaN", .number(.nan), flags: [])
        setHidden(global, "Infinity", .number(.infinity), flags: [])
        setHidden(global, "undefined", .undefined, flags: [])

        for (i, entryPath) in Natives.installOrder {
            let entry = Natives.table[i]
            let fn = makeNativeFunction(index: i)
            var path = entryPath
            var holder: ObjectID
            if path[0].hasPrefix("%") {
                holder = realm[Intrinsic.intrinsics.rawValue]
                path[0].removeFirst()
            } else {
                holder = global
            }
            for segment in path.dropLast() {
                let key = heap.internPinned(segment)
                let slot = heap.objects[holder.index].find(key)
                if slot >= 0, case .object(let next) = heap.objects[holder.index].values[slot] {
                    holder = next
                } else {
                    let next = heap.allocate(JSObject(cls: .ordinary, proto: objectProto))
                    setHidden(holder, segment, .object(next))
                    holder = next
                }
            }
            let last = path.last!
            if entry.isConstructor {
                let proto: ObjectID
                if let p = entry.prototypeIntrinsic {
                    proto = realm[p.rawValue]
                } else {
                    proto = heap.allocate(JSObject(cls: .ordinary, proto: objectProto))
                }
                setHidden(fn, "prototype", .object(proto), flags: [])
                setHidden(proto, "constructor", .object(fn))
            }
            // Path "X.prototype" style names never collide with "prototype" set above.
            if last != "prototype" || !entry.isConstructor {
                setHidden(holder, last, .object(fn))
            }
        }
        // Error constructors get their own prototypes' constructor links (done above via prototypeIntrinsic).
        // Math and JSON answer "[object Math]" / "[object JSON]" (their @@toStringTag) through
        // a tag string in slot0 (`classTag`).
        for tag in ["Math", "JSON"] {
            let slot = heap.objects[global.index].find(heap.internPinned(tag))
            if slot >= 0, case .object(let o) = heap.objects[global.index].values[slot] {
                heap.objects[o.index].slot0 = .string(heap.internPinned(tag))
            }
        }
        try runPrelude()
    }

    func makeNativeFunction(index: Int) -> ObjectID {
        let entry = Natives.table[index]
        var o = JSObject(cls: .native, proto: realm[Intrinsic.functionPrototype.rawValue])
        o.code = UInt32(index)
        if entry.isConstructor { o.flags.insert(.constructor) }
        let id = heap.allocate(o)
        setHidden(id, "length", .number(Double(entry.length)), flags: [.configurable])
        let short = entry.name.split(separator: ".").last.map(String.init) ?? entry.name
        setHidden(id, "name", .string(heap.internPinned(short.hasPrefix("%") ? String(short.dropFirst()) : short)), flags: [.configurable])
        return id
    }

    /// Defines (or overwrites) a non-enumerable data property.
    func setHidden(_ obj: ObjectID, _ name: String, _ value: Value, flags: PropertyFlags = .hidden) {
        let key = heap.internPinned(name)
        let slot = heap.objects[obj.index].find(key)
        if slot >= 0 {
            heap.objects[obj.index].values[slot] = value
            heap.objects[obj.index].attributes[slot] = flags
        } else {
            heap.objects[obj.index].append(key, value, flags)
        }
    }

    @inline(__always) public func intrinsic(_ i: Intrinsic) -> ObjectID { realm[i.rawValue] }
}
