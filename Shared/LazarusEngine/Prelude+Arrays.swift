/// Prelude section for Array and String. Spliced into the prelude's function body (it
/// shares `I`, `global`, `hide`…).
let preludeArrays = #"""
"""#
