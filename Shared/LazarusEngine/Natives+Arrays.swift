extension Natives {
    /// Array and String.
    static var arrayNatives: [NativeEntry] {
        []
    }
}
