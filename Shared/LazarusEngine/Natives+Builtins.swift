// MARK: - The builtins library (owned by the builtins engineer)
//
// Add `NativeEntry` values here (or in more `Natives+Builtins*.swift` files concatenated
// below). Names are stable identifiers stored in snapshots: never rename one without
// bumping `engineABIVersion`. See docs/ENGINE.md "Native functions".

extension Natives {
    static var builtinNatives: [NativeEntry] {
        objectNatives + arrayNatives
    }
}
