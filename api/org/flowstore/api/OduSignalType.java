package org.flowstore.api;

/** The kind of an optical channel data unit signal, by rate. Written on the wire by position: append only. */
public enum OduSignalType {
    /** 1.25 Gb/s. */
    ODU0,
    /** 2.5 Gb/s. */
    ODU1,
    /** 10 Gb/s. */
    ODU2,
    /** 10 Gb/s, extended. */
    ODU2e,
    /** 40 Gb/s. */
    ODU3,
    /** 100 Gb/s. */
    ODU4,
    /** 100 Gb/s, beyond 100G. */
    ODUC1,
    /** 200 Gb/s. */
    ODUC2,
    /** 300 Gb/s. */
    ODUC3,
    /** 400 Gb/s. */
    ODUC4,
    /** 500 Gb/s. */
    ODUC5,
    /** 600 Gb/s. */
    ODUC6,
    /** 700 Gb/s. */
    ODUC7,
    /** 800 Gb/s. */
    ODUC8,
    /** 900 Gb/s. */
    ODUC9
}
