import Foundation

/// Encodes `Encodable` values into a `JSONValue` tree, keeping members in the order they
/// are encoded (Foundation's `JSONEncoder` does not), and writes trees as compact JSON.
/// `Data` becomes a base64 string.
struct JSONValueEncoder {
    func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = TreeNode()
        try TreeEncoder(node: root, codingPath: []).encodeValue(value)
        return root.value
    }
}

/// A mutable slot in the tree being built; containers write into it as they are filled.
private final class TreeNode {
    enum Storage {
        case empty
        case value(JSONValue)
        case object([(key: String, node: TreeNode)])
        case array([TreeNode])
    }

    var storage: Storage = .empty

    var value: JSONValue {
        switch storage {
        case .empty: .object([])
        case .value(let v): v
        case .object(let members): .object(members.map { ($0.key, $0.node.value) })
        case .array(let nodes): .array(nodes.map(\.value))
        }
    }

    func member(_ key: String) -> TreeNode {
        var members: [(key: String, node: TreeNode)] = []
        if case .object(let existing) = storage { members = existing }
        if let found = members.first(where: { $0.key == key }) { return found.node }
        let node = TreeNode()
        members.append((key, node))
        storage = .object(members)
        return node
    }

    func appendElement() -> TreeNode {
        var nodes: [TreeNode] = []
        if case .array(let existing) = storage { nodes = existing }
        let node = TreeNode()
        nodes.append(node)
        storage = .array(nodes)
        return node
    }

    func makeObject() { if case .object = storage {} else { storage = .object([]) } }
    func makeArray() { if case .array = storage {} else { storage = .array([]) } }
}

private struct TreeEncoder: Encoder {
    let node: TreeNode
    let codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedTreeWriter<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedTreeWriter(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> SingleValueEncodingContainer { SingleTreeWriter(encoder: self) }

    func encodeValue<T: Encodable>(_ value: T) throws {
        if let json = value as? JSONValue {
            node.storage = .value(json)
        } else if let data = value as? Data {
            node.storage = .value(.string(data.base64EncodedString()))
        } else {
            try value.encode(to: self)
        }
    }
}

private struct KeyedTreeWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    let codingPath: [CodingKey]

    func encodeNil(forKey key: Key) { node.member(key.stringValue).storage = .value(.null) }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).encodeValue(value)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
        TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superEncoder() -> Encoder { TreeEncoder(node: node.member("super"), codingPath: codingPath) }
    func superEncoder(forKey key: Key) -> Encoder { TreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]) }
}

private struct UnkeyedTreeWriter: UnkeyedEncodingContainer {
    let node: TreeNode
    let codingPath: [CodingKey]
    var count: Int {
        if case .array(let nodes) = node.storage { return nodes.count }
        return 0
    }

    func encodeNil() { node.appendElement().storage = .value(.null) }

    func encode<T: Encodable>(_ value: T) throws {
        try TreeEncoder(node: node.appendElement(), codingPath: codingPath).encodeValue(value)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: node.appendElement(), codingPath: codingPath).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
        TreeEncoder(node: node.appendElement(), codingPath: codingPath).unkeyedContainer()
    }

    func superEncoder() -> Encoder { TreeEncoder(node: node.appendElement(), codingPath: codingPath) }
}

private struct SingleTreeWriter: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [CodingKey] { encoder.codingPath }

    private func set(_ value: JSONValue) { encoder.node.storage = .value(value) }

    func encodeNil() { set(.null) }
    func encode(_ value: Bool) { set(.bool(value)) }
    func encode(_ value: String) { set(.string(value)) }
    func encode(_ value: Double) { set(.number(value)) }
    func encode(_ value: Float) { set(.number(Double(value))) }
    func encode(_ value: Int) { set(.number(Double(value))) }
    func encode(_ value: Int8) { set(.number(Double(value))) }
    func encode(_ value: Int16) { set(.number(Double(value))) }
    func encode(_ value: Int32) { set(.number(Double(value))) }
    func encode(_ value: Int64) { set(.number(Double(value))) }
    func encode(_ value: UInt) { set(.number(Double(value))) }
    func encode(_ value: UInt8) { set(.number(Double(value))) }
    func encode(_ value: UInt16) { set(.number(Double(value))) }
    func encode(_ value: UInt32) { set(.number(Double(value))) }
    func encode(_ value: UInt64) { set(.number(Double(value))) }
    func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}
