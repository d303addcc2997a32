package dev.rig.spec;

/**
 * One thing an evaluation read, and what it was: the evidence a cached spec is checked against.
 *
 * @param kind how to read it again
 * @param uri what was asked for: a module or resource URI, or the spec file's path
 * @param resolved for a module, the real path Pkl loaded it from (symbolic links followed), so that
 *     a link moved to another file counts as a change; else empty
 * @param digest what the read gave, as {@link SpecInputs#digest} renders it
 */
record SpecInput(Kind kind, String uri, String resolved, String digest) {
  enum Kind {
    /** A {@code file:} module: source text, digested as UTF-8. */
    MODULE,
    /** A resource read through one of the evaluator's readers, by URI scheme. */
    RESOURCE,
    /** The bytes of a YAML or JSON spec, which reaches Pkl only as generated text. */
    SPEC_FILE
  }
}
