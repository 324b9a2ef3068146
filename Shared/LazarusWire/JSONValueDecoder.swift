import Foundation

/// Decodes `Decodable` types from a `JSONValue` tree.
///
/// Wire messages are parsed by `JSONParser` (which keeps object member order) and then
/// decoded through this, so a `JSONValue` field comes out exactly as it was sent.
/// `Data` is read from base64 strings, as `JSONEncoder` writes it.
struct JSONValueDecoder {
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try TreeDecoder(value: value, codingPath: []).decodeValue(T.self)
    }
}

private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(KeyedTree<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch([JSONValue].self) }
        return UnkeyedTree(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { SingleTree(decoder: self) }

    func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "found \(value.kindName)"))
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == Data.self {
            guard case .string(let text) = value else { throw mismatch(Data.self) }
            guard let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "not valid base64"))
            }
            return data as! T
        }
        return try T(from: self)
    }

    func number<N>(_ type: N.Type, _ convert: (Double) -> N?) throws -> N {
        guard case .number(let d) = value else { throw mismatch(N.self) }
        guard let n = convert(d) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(d) does not fit \(N.self)"))
        }
        return n
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(key: String, value: JSONValue)]
    let codingPath: [CodingKey]

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { members.contains { $0.key == key.stringValue } }

    private func child(_ key: Key) throws -> TreeDecoder {
        guard let member = members.first(where: { $0.key == key.stringValue }) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return TreeDecoder(value: member.value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try child(key).value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try child(key).decodeValue(T.self)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decode(T.self, forKey: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder { TreeDecoder(value: .object(members), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> Decoder { try child(key) }
}

private struct UnkeyedTree: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    private mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "array too short"))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(value: elements[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(T.self) }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> Decoder { try next() }
}

private struct SingleTree: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = decoder.value else { throw decoder.mismatch(Bool.self) }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = decoder.value else { throw decoder.mismatch(String.self) }
        return s
    }

    func decode(_ type: Double.Type) throws -> Double { try decoder.number(Double.self) { $0 } }
    func decode(_ type: Float.Type) throws -> Float { try decoder.number(Float.self) { Float($0) } }
    func decode(_ type: Int.Type) throws -> Int { try decoder.number(Int.self) { Int(exactly: $0) } }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.number(Int8.self) { Int8(exactly: $0) } }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.number(Int16.self) { Int16(exactly: $0) } }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.number(Int32.self) { Int32(exactly: $0) } }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.number(Int64.self) { Int64(exactly: $0) } }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.number(UInt.self) { UInt(exactly: $0) } }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.number(UInt8.self) { UInt8(exactly: $0) } }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.number(UInt16.self) { UInt16(exactly: $0) } }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.number(UInt32.self) { UInt32(exactly: $0) } }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.number(UInt64.self) { UInt64(exactly: $0) } }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(T.self) }
}

extension JSONValue {
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
