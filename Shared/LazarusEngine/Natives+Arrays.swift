extension Natives {
    /// Array and String (Natives+Array.swift, Natives+String.swift).
    static var arrayNatives: [NativeEntry] {
        arrayMethodNatives + stringNatives
    }
}
