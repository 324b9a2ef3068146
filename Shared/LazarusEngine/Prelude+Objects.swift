/// Prelude section for Object, Function, Error, JSON, Number, Math, Boolean and the global
/// functions. Spliced into the prelude's function body (it shares `I`, `global`, `hide`…).
let preludeObjects = #"""
"""#
