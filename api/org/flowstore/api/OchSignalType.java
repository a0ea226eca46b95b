package org.flowstore.api;

/** The grid of an optical channel signal. Written on the wire by position: append only. */
public enum OchSignalType {
    /** A channel of a fixed grid. */
    FIXED_GRID,
    /** A channel of a flexible grid. */
    FLEX_GRID
}
