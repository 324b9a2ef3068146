extension Natives {
    /// Object, Function, Error types, JSON, Number, Math, Boolean, global functions.
    static var objectNatives: [NativeEntry] {
        []
    }
}
